// Protocol decoders, in both browsers: on the demo's echo (lib/messages-scenario.ts)
// and on the traffic of the real client libraries (lib/protocols-scenario.ts).
import { describeInBrowsers, onInspectedTab } from '../fixtures';
import { decodesProtocols } from '../lib/messages-scenario';
import { decodesRealClients } from '../lib/protocols-scenario';
import { token } from '../lib/traffic';

describeInBrowsers((test) => {
  test('protocol decoders: detected from the first messages, chosen by hand, the raw message a click away', onInspectedTab(decodesProtocols));

  test('each decoder on the traffic of the real client library that speaks it', async ({ browser }) => {
    const { page, panel } = await browser.inspect(token(), 'protocols.html');
    await decodesRealClients(page, panel);
  });
});
