import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { type CatalogRepository, DynamoDbCatalogRepository } from '@orderflow/catalog';
import { OrderflowError } from '@orderflow/contracts';
import { EventBridgeEventPublisher, type EventPublisher } from '@orderflow/events';
import { DynamoDbInventoryRepository, type InventoryRepository } from '@orderflow/inventory';
import { DynamoDbOrderRepository, type OrderRepository } from '@orderflow/orders';
import { createPaymentGatewayFromEnv, type PaymentGateway, type PaypalOrderGateway } from '@orderflow/payments';
import { DynamoDbConfirmationOutbox } from './adapters/dynamodb-confirmation-outbox';
import { DynamoDbEventOutbox } from './adapters/dynamodb-event-outbox';
import { logger, tracer } from './observability';
import type { EventOutbox } from './use-cases/redrive-outbox';
import type { ConfirmationSender } from './use-cases/send-order-confirmation';

/**
 * The one place adapters are built, from environment variables only, so the same handler
 * code runs in Lambda and in-process on one machine:
 *
 *   TABLE_NAME                  the orderflow table (required)
 *   AWS_REGION                  region of the AWS clients (default us-east-1)
 *   AWS_ENDPOINT_URL_DYNAMODB   DynamoDB endpoint override (DynamoDB Local)
 *   EVENT_BUS_NAME              the orderflow bus (handlers that publish: redrive-outbox)
 *   AWS_ENDPOINT_URL_EVENTBRIDGE EventBridge endpoint override (a local PutEvents endpoint)
 *   payment settings            as @orderflow/payments reads them (STRIPE_*, PAYPAL_*,
 *                               PAYMENT_*, PAYMENT_SECRETS_ARN)
 *
 * Everything is created on first use and kept for the life of the process (a Lambda
 * execution environment), as AWS recommends for SDK clients.
 */

export class ConfigurationError extends OrderflowError {
  override name = 'ConfigurationError';
  constructor(readonly variable: string, message: string) {
    super('INTERNAL', message);
  }
}

export interface ApiEnvironment {
  tableName: string;
  region: string;
  dynamoDbEndpoint: string | undefined;
  eventBusName: string | undefined;
  eventBridgeEndpoint: string | undefined;
}

export function readApiEnvironment(env: Readonly<Record<string, string | undefined>> = process.env): ApiEnvironment {
  const tableName = env['TABLE_NAME']?.trim();
  if (!tableName) throw new ConfigurationError('TABLE_NAME', 'TABLE_NAME must name the orderflow table.');
  const endpoint = env['AWS_ENDPOINT_URL_DYNAMODB']?.trim() || env['AWS_ENDPOINT_URL']?.trim() || undefined;
  return {
    tableName,
    region: env['AWS_REGION']?.trim() || env['AWS_DEFAULT_REGION']?.trim() || 'us-east-1',
    dynamoDbEndpoint: endpoint,
    eventBusName: env['EVENT_BUS_NAME']?.trim() || undefined,
    eventBridgeEndpoint: env['AWS_ENDPOINT_URL_EVENTBRIDGE']?.trim() || env['AWS_ENDPOINT_URL']?.trim() || undefined,
  };
}

export interface Wiring {
  /** Releases the clients' connections. */
  destroy(): void;
  environment: ApiEnvironment;
  dynamoDb: DynamoDBClient;
  documentClient: DynamoDBDocumentClient;
  catalog: CatalogRepository;
  inventory: InventoryRepository;
  orders: OrderRepository;
  confirmations: ConfirmationSender;
  /** Events the checkout could not publish. */
  outbox: EventOutbox;
  /** Publishes on the orderflow bus (EVENT_BUS_NAME); created on first use. */
  eventPublisher(): EventPublisher;
  /** Payment adapters need secrets (Secrets Manager in AWS): created on first use. */
  payments(): Promise<PaymentGateway & PaypalOrderGateway>;
}

let current: Wiring | undefined;

export function wiring(): Wiring {
  current ??= createWiring(readApiEnvironment());
  return current;
}

/** Forget the adapters (tests that change the environment). */
export function resetWiring(): void {
  current?.destroy();
  current = undefined;
}

function createWiring(environment: ApiEnvironment): Wiring {
  const dynamoDb = tracer.captureAWSv3Client(
    new DynamoDBClient({
      region: environment.region,
      ...(environment.dynamoDbEndpoint ? { endpoint: environment.dynamoDbEndpoint } : {}),
    }),
  );
  const documentClient = DynamoDBDocumentClient.from(dynamoDb, { marshallOptions: { removeUndefinedValues: true } });
  let payments: Promise<PaymentGateway & PaypalOrderGateway> | undefined;
  let eventPublisher: EventPublisher | undefined;
  let eventBridge: EventBridgeClient | undefined;
  return {
    destroy: () => {
      dynamoDb.destroy();
      eventBridge?.destroy();
    },
    environment,
    dynamoDb,
    documentClient,
    catalog: new DynamoDbCatalogRepository(documentClient, environment.tableName),
    inventory: new DynamoDbInventoryRepository(documentClient, environment.tableName),
    orders: new DynamoDbOrderRepository(documentClient, environment.tableName),
    confirmations: new DynamoDbConfirmationOutbox(documentClient, environment.tableName),
    outbox: new DynamoDbEventOutbox(documentClient, environment.tableName),
    eventPublisher: () => {
      if (eventPublisher) return eventPublisher;
      const eventBusName = environment.eventBusName;
      if (!eventBusName) throw new ConfigurationError('EVENT_BUS_NAME', 'EVENT_BUS_NAME must name the orderflow event bus.');
      eventBridge = tracer.captureAWSv3Client(
        new EventBridgeClient({
          region: environment.region,
          ...(environment.eventBridgeEndpoint ? { endpoint: environment.eventBridgeEndpoint } : {}),
        }),
      );
      eventPublisher = new EventBridgeEventPublisher({ client: eventBridge, eventBusName });
      return eventPublisher;
    },
    payments: () => {
      payments ??= createPaymentGatewayFromEnv(process.env, { logger }).catch((error: unknown) => {
        payments = undefined; // a later invocation tries again (e.g. Secrets Manager was throttled)
        logger.error('payment gateway could not be created', { error });
        throw error;
      });
      return payments;
    },
  };
}
