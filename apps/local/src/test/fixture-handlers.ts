// Handlers named by the fixture template's metadata (loaded by path, as apps/api's are).
export const getThing = async (event: { pathParameters?: Record<string, string> }) => ({
  statusCode: 200,
  headers: { 'Content-Type': 'application/json' },
  body: JSON.stringify({ thingId: event.pathParameters?.['thingId'], table: process.env['TABLE_NAME'] }),
});

export const consume = async () => ({ consumed: true });

export const notAFunction = 42;
