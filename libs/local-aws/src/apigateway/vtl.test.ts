import { describe, expect, it } from 'vitest';
import { escapeJavaScript, renderMappingTemplate } from './vtl';

describe('renderMappingTemplate (API Gateway mapping templates)', () => {
  it('reads $input (body, params by name and all of them), $context, and writes responseOverride', () => {
    const template = `#set($origin = $input.params().header.get("Origin"))
#if($origin.matches("https://shop\\.example\\.com"))
#set($context.responseOverride.header.Access-Control-Allow-Origin = $origin)
#end
#set($context.responseOverride.status = 405)
{"sub": "$context.authorizer.claims.sub", "key": "$input.params('idempotency-key')", "qty": $input.path('$.items').size(), "name": "$util.escapeJavaScript($input.path('$.name'))"}`;
    const result = renderMappingTemplate(template, {
      body: JSON.stringify({ items: [1, 2], name: 'O"Brien' }),
      headers: { Origin: 'https://shop.example.com', 'Idempotency-Key': 'k-1' },
      context: { authorizer: { claims: { sub: 'cust-42' } } },
    });
    expect(result.status).toBe(405);
    expect(result.headers).toEqual({ 'Access-Control-Allow-Origin': 'https://shop.example.com' });
    expect(JSON.parse(result.output.trim())).toEqual({ sub: 'cust-42', key: 'k-1', qty: 2, name: 'O"Brien' });
  });

  it('answers a response template from the integration response', () => {
    const result = renderMappingTemplate(`#set($r = $input.path('$'))$r.status/$input.json('$.code')`, {
      body: '',
      headers: {},
      integrationResponse: { status: 'SUCCEEDED', code: 7 },
    });
    expect(result.output).toBe('SUCCEEDED/7');
  });

  it('escapes as Apache Commons does', () => {
    expect(escapeJavaScript(`a"b'c\\d/e\n\u00e9`)).toBe('a\\"b\\\'c\\\\d\\/e\\n\\u00E9');
  });
});
