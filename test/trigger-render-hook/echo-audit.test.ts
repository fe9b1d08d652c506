import { RenderEmulator } from '../../packages/emulators/src/render';
import { expectNoForm, quoteEveryForm } from '../snapshot-db/secret-forms';
import { apiInputs, service, trigger } from './fixture';

/**
 * Echo audit (issue 12): trigger-render-hook's secret inputs are api-key and deploy-hook-url (its key).
 * echo.test.ts has Render echoing them raw and in several encodings; here Render's error bodies quote
 * each in every form issue 12 names (raw, URL- and form-encoded, base64 and base64url, JSON- and
 * HTML-escaped), and each form is checked on its own in the log, outputs, annotations and summary.
 */

const KEY = `rnd_Au&<d>"'\\it${Date.now().toString(36)}`;
const HOOK_KEY = `hk&<a>"'u ${Date.now().toString(36)}`;

describe('trigger-render-hook: Render quoting the credentials back in every form', () => {
  let render: RenderEmulator;
  afterEach(() => render.close());

  it('a wrong api-key quoted in the 401 body', async () => {
    render = await new RenderEmulator({
      scale: 50,
      echo: (req) => `you sent ${quoteEveryForm(String(req.headers.authorization ?? '').replace(/^Bearer /, ''))}`,
    }).start();
    const setup = service(render);
    const result = await trigger(
      { ...setup, secrets: [...setup.secrets, KEY] },
      { ...apiInputs(setup), 'api-key': KEY },
      { debug: true },
    );
    expect(result.exitCode).toBe(1);
    expect(result.errors).toEqual([expect.stringMatching(/Render refused the API key \(401\)/)]);
    expectNoForm(result, [{ secret: KEY }]);
  });

  it('a deploy hook key quoted in a 400 body', async () => {
    render = await new RenderEmulator({
      scale: 50,
      echo: (req) => `key ${quoteEveryForm(req.query.get('key') ?? '')}`,
    }).start();
    const setup = service(render, { image: 'docker.io/acme/api:1', hookKey: HOOK_KEY });
    const result = await trigger(
      { ...setup, secrets: [...setup.secrets, HOOK_KEY] },
      { 'deploy-hook-url': setup.hookUrl, 'image-url': 'docker.io/acme/other:2' },
      { debug: true },
    );
    expect(result.exitCode).toBe(1);
    expect(result.errors).toEqual([expect.stringMatching(/\(400\).*key plain=\*\*\*/)]);
    expectNoForm(result, [{ secret: HOOK_KEY }, { secret: setup.hookUrl }]);
  });
});
