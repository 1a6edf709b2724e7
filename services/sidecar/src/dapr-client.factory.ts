import { createServer } from 'node:http';
import { CommunicationProtocolEnum, DaprClient, DaprServer, LogLevel } from '@dapr/dapr';
import type express from 'express';
import { APP_CHANNEL_MAX_BODY_MB, SDK_MAX_BODY_MB } from '@importer/contracts';
import type { SidecarSettings } from './sidecar-env.js';

/** Where the sidecar's gRPC API is and the DAPR_API_TOKEN it asks for. */
export type SidecarAddress = Pick<SidecarSettings, 'daprHost' | 'daprGrpcPort' | 'daprApiToken'>;

/** A gRPC client for publishing and bindings: gRPC carries binary payloads raw, HTTP would mangle them. */
export function createDaprClient({ daprHost, daprGrpcPort, daprApiToken }: SidecarAddress): DaprClient {
  return new DaprClient({
    daprHost,
    daprPort: String(daprGrpcPort),
    communicationProtocol: CommunicationProtocolEnum.GRPC,
    maxBodySizeMb: SDK_MAX_BODY_MB,
    daprApiToken,
    logger: { level: LogLevel.Warn },
  });
}

export interface DaprServerSpec {
  appPort: number;
  /** The app's host (loopback unless a pod needs probes from outside) and the sidecar's HTTP API with its token. */
  sidecar: Pick<SidecarSettings, 'appHost' | 'daprHost' | 'daprHttpPort' | 'daprApiToken'>;
  /** The service's own express app, its appChannelGuard first; the SDK adds its routes and body parsers to it. */
  app: express.Express;
  /** Settings for hosted actors; omit for services that host none. */
  actors?: { idleTimeout: string; scanInterval: string };
}

/** The SDK's `start()` calls `app.listen(port)`, which binds every interface; this makes it bind the app's host. */
function listenOnHost(app: express.Express, host: string): express.Express {
  return Object.assign(app, { listen: (port: number) => createServer(app).listen(port, host) }) as express.Express;
}

/**
 * An HTTP DaprServer (actors are only hosted over HTTP in the JS SDK). Its body parsers take what daprd delivers
 * (pub/sub messages, actor calls) up to APP_CHANNEL_MAX_BODY_MB; uploads go out through the gRPC client instead.
 */
export function createDaprServer(spec: DaprServerSpec): DaprServer {
  const { sidecar } = spec;
  const host = sidecar.appHost;
  return new DaprServer({
    serverHost: host,
    serverPort: String(spec.appPort),
    communicationProtocol: CommunicationProtocolEnum.HTTP,
    maxBodySizeMb: APP_CHANNEL_MAX_BODY_MB,
    serverHttp: listenOnHost(spec.app, host),
    logger: { level: LogLevel.Warn },
    clientOptions: {
      daprHost: sidecar.daprHost,
      daprPort: String(sidecar.daprHttpPort),
      communicationProtocol: CommunicationProtocolEnum.HTTP,
      daprApiToken: sidecar.daprApiToken,
      ...(spec.actors
        ? {
            actor: {
              actorIdleTimeout: spec.actors.idleTimeout,
              actorScanInterval: spec.actors.scanInterval,
              drainOngoingCallTimeout: '30s',
              drainRebalancedActors: true,
              reentrancy: { enabled: false },
            },
          }
        : {}),
    },
  });
}
