import { CommunicationProtocolEnum, DaprClient, DaprServer, LogLevel } from '@dapr/dapr';
import type express from 'express';
import { SDK_MAX_BODY_MB } from '@importer/contracts';

export interface SidecarAddress {
  daprHost?: string;
  daprGrpcPort: number;
}

/** A gRPC client for publishing and bindings: gRPC carries binary payloads raw, HTTP would mangle them. */
export function createDaprClient({ daprHost = '127.0.0.1', daprGrpcPort }: SidecarAddress): DaprClient {
  return new DaprClient({
    daprHost,
    daprPort: String(daprGrpcPort),
    communicationProtocol: CommunicationProtocolEnum.GRPC,
    maxBodySizeMb: SDK_MAX_BODY_MB,
    logger: { level: LogLevel.Warn },
  });
}

export interface DaprServerSpec {
  appPort: number;
  /** The address the app listens on; loopback by default. */
  appHost?: string;
  daprHost?: string;
  daprHttpPort: number;
  /** The service's own express app; the SDK adds its routes to it and calls `listen`. */
  app?: express.Express;
  /** Settings for hosted actors; omit for services that host none. */
  actors?: { idleTimeout: string; scanInterval: string };
}

/** An HTTP DaprServer (actors are only hosted over HTTP in the JS SDK) with the project's body limit. */
export function createDaprServer(spec: DaprServerSpec): DaprServer {
  return new DaprServer({
    serverHost: spec.appHost ?? '127.0.0.1',
    serverPort: String(spec.appPort),
    communicationProtocol: CommunicationProtocolEnum.HTTP,
    maxBodySizeMb: SDK_MAX_BODY_MB,
    ...(spec.app ? { serverHttp: spec.app } : {}),
    logger: { level: LogLevel.Warn },
    clientOptions: {
      daprHost: spec.daprHost ?? '127.0.0.1',
      daprPort: String(spec.daprHttpPort),
      communicationProtocol: CommunicationProtocolEnum.HTTP,
      maxBodySizeMb: SDK_MAX_BODY_MB,
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
