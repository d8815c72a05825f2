// The devtools page: registers the Sockscope panel in every DevTools window.
import browser from 'webextension-polyfill';

void browser.devtools.panels.create('Sockscope', '/icons/icon-32.png', '/panel/index.html');
