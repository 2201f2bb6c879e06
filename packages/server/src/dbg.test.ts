import { it } from 'vitest';
import { startTestServer } from './testing/test-server.js';

it('d', async () => {
  const t = await startTestServer('pglite');
  const spec = (await t.request({ method: 'GET', url: '/openapi.json' })).json();
  console.log(JSON.stringify(spec.paths['/api/v1/sessions/{id}/end'].put.requestBody).slice(0, 600));
  console.log(JSON.stringify(spec.paths['/v1/sessions'].post.requestBody).slice(0, 300));
  await t.server.close();
});
