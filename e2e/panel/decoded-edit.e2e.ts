// Edit and resend of MessagePack and CBOR messages as JSON, in both browsers (the steps are lib/decoded-edit-scenario.ts).
import { describeInBrowsers, onInspectedTab } from '../fixtures';
import { editsDecoded } from '../lib/decoded-edit-scenario';

describeInBrowsers((test) => {
  test(
    'Edit and resend on a MessagePack or CBOR socket: the message opens as JSON, and goes encoded with the same library',
    onInspectedTab((page, panel, server, run) => editsDecoded(page, panel, server, run)),
  );
});
