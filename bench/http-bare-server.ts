// The HTTP ceiling of this machine: a bare Fastify app (no logger, no schemas, Fastify's own JSON
// parser) whose POST /api/tokens parses the same booking bodies and answers 201 with a small JSON.
// Run by bench/http.bench.ts as its own process, like the real server: PORT (0 = any free port).

import Fastify from 'fastify';

const app = Fastify({ logger: false });
let issued = 0;
app.post('/api/tokens', async (request, reply) => {
  const body = request.body as { doctorId?: string } | undefined;
  return reply.code(201).send({ id: String(++issued), doctorId: body?.doctorId ?? null, status: 'ALLOCATED' });
});

const address = await app.listen({ host: '127.0.0.1', port: Number(process.env.PORT ?? 0) });
console.log(`bare Fastify listening on ${address}`);
const stop = () => void app.close().then(() => process.exit(0));
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
