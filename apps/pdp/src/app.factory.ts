// Builds the Nest + Fastify application for a configuration (used by main.ts and the e2e tests).
import 'reflect-metadata';
import { createServer, type IncomingMessage, type RequestListener, type ServerResponse } from 'node:http';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { LogController, type FastifyBaseLogger, type FastifyReply, type FastifyRequest } from 'fastify';
import { ArbiterError } from '@arbiter/contracts';
import type { AppConfig } from './config/app-config';
import { AppModule } from './app.module';
import { decodeUtf8Body, parseJsonBody } from './http/json-body';
import { toErrorResponse } from './http/error-response';
import { registerDecideRoute } from './decide/decide.route';
import { DecideFastPath } from './decide/decide.fast-path';
import { buildRuntime, type Runtime, type RuntimeOverrides } from './runtime';

export interface ArbiterApp {
  app: NestFastifyApplication;
  runtime: Runtime;
  /** Listens on config.port/host (127.0.0.1 forced when no API keys are configured); returns the base URL. */
  listen(): Promise<string>;
  close(): Promise<void>;
}

export async function createArbiterApp(config: AppConfig, overrides: RuntimeOverrides = {}): Promise<ArbiterApp> {
  // Plain JSON POST /decide requests skip Fastify (decide/decide.fast-path.ts); set once the runtime exists.
  let fast: DecideFastPath | null = null;
  const adapter = new FastifyAdapter({
    serverFactory: (handler: RequestListener, opts: Record<string, unknown>) => {
      const server = createServer((req: IncomingMessage, res: ServerResponse) => {
        // While closing, every new request gets the standard error shape (not Fastify's own body).
        if (fast?.closing) return shuttingDown(res);
        if (fast === null || !fast.take(req, res)) handler(req, res);
      });
      // What Fastify sets on the servers it creates itself.
      server.keepAliveTimeout = opts.keepAliveTimeout as number;
      server.requestTimeout = opts.requestTimeout as number;
      server.setTimeout(opts.connectionTimeout as number);
      if ((opts.maxRequestsPerSocket as number) > 0) server.maxRequestsPerSocket = opts.maxRequestsPerSocket as number;
      return server;
    },
    bodyLimit: config.bodyLimit,
    logger: { level: config.logLevel, redact: ['req.headers.authorization', 'req.headers["x-api-key"]'] },
    // Per-request access logs would dominate the hot path; decisions are logged by the runtime.
    logController: new LogController({ disableRequestLogging: true }),
    // No per-request child logger (a pino child per request is allocation and CPU on the hot
    // path): request logging is off and errors are logged with their own context.
    childLoggerFactory: (logger: FastifyBaseLogger) => logger,
    return503OnClosing: false,
    // Router-level failures (over-long path parameters, bad URLs) answer before Nest's filters.
    frameworkErrors: (err: Error, _req: FastifyRequest, reply: FastifyReply) => {
      const { status, body } = toErrorResponse(err);
      void reply.status(status).header('content-type', 'application/json; charset=utf-8').send(body);
    },
  });
  const fastify = adapter.getInstance();
  const logger = fastify.log;
  // Only JSON is accepted: Fastify's default text/plain parser would hand a string to the routes.
  fastify.removeAllContentTypeParsers();
  fastify.addContentTypeParser('application/json', { parseAs: 'buffer', bodyLimit: config.bodyLimit }, (_req, body, done) => {
    try {
      done(null, parseJsonBody(decodeUtf8Body(body as Buffer), config.maxDepth));
    } catch (err) {
      done(err as Error, undefined);
    }
  });
  const runtime = await buildRuntime(config, logger, overrides);
  let app: NestFastifyApplication;
  try {
    app = await NestFactory.create<NestFastifyApplication>(AppModule.register(runtime), adapter, {
      logger: ['error', 'warn'],
      bodyParser: false,
      abortOnError: false,
    });
  } catch (err) {
    await runtime.engine.close();
    await runtime.log.close();
    throw err;
  }
  registerDecideRoute(fastify, runtime);
  const fastPath = new DecideFastPath(runtime);
  fastify.addHook('preClose', (done) => {
    fastPath.closing = true;
    done();
  });
  fast = fastPath;
  return {
    app,
    runtime,
    async listen() {
      let host = config.host;
      if (runtime.callers.open) {
        if (host !== '127.0.0.1') {
          logger.warn(
            { requested_host: host },
            'no API keys configured (ARBITER_API_KEYS): binding to 127.0.0.1 only and treating every caller as an anonymous gateway+admin',
          );
        } else {
          logger.warn('no API keys configured (ARBITER_API_KEYS): every local caller is an anonymous gateway+admin');
        }
        host = '127.0.0.1';
      }
      await app.listen(config.port, host);
      const addr = fastify.server.address();
      const port = typeof addr === 'object' && addr ? addr.port : config.port;
      logger.info(
        { host, port, revision: runtime.engine.revision, store: runtime.log.driver, sqlite_synchronous: runtime.log.sqliteSynchronous },
        'arbiter listening',
      );
      return `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
    },
    close: () => app.close(),
  };
}

const SHUTTING_DOWN = JSON.stringify(new ArbiterError('shutting_down', 'the service is shutting down; retry on another instance').toBody());

function shuttingDown(res: ServerResponse): void {
  res.writeHead(503, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(SHUTTING_DOWN), connection: 'close' });
  res.end(SHUTTING_DOWN);
}
