// Talking back from the panel in both browsers (the steps are lib/talk-back-scenario.ts).
import { describeInBrowsers, onInspectedTab } from '../fixtures';
import { talksBack } from '../lib/talk-back-scenario';

describeInBrowsers((test) => {
  test(
    'Composer, Resend, Edit and resend, Close socket…, bad input refused, marks through a HAR',
    onInspectedTab((page, panel, server, run) => talksBack(page, panel, server, run)),
  );
});
