import { type CloudFormationTemplate, type LocalNames, resolveIntrinsics, resourcesOfType } from '../cloudformation/template';


/**
 * The REST API of the synthesized template, read the way API Gateway reads it: the
 * resource tree (paths), the methods and their integrations (Lambda proxy, or the
 * StartSyncExecution AWS integration with its mapping templates), request validators
 * with their JSON Schema models, and the gateway responses.
 */

export class ApiTemplateError extends Error {
  override name = 'ApiTemplateError';
}

export type RouteIntegration =
  | { kind: 'lambda-proxy'; functionLogicalId: string }
  | {
      kind: 'start-sync-execution';
      /** Request template (application/json), references resolved. */
      requestTemplate: string;
      /** Templates by integration response status, with their selection patterns. */
      responses: { statusCode: string; selectionPattern: string | undefined; template: string | undefined }[];
      passthroughBehavior: string;
    }
  | {
      kind: 'mock';
      /** Request templates by content type (the statusCode the mock answers with). */
      requestTemplates: Record<string, string>;
      passthroughBehavior: string;
      responses: {
        statusCode: string;
        selectionPattern: string | undefined;
        template: string | undefined;
        /** `method.response.header.X` -> `'static'` or `method.request.header.Y`. */
        responseParameters: Record<string, string>;
      }[];
    };

/** Who may call a method: anyone, or the holder of an ID token of one of these Cognito user pools. */
export type RouteAuthorization =
  | { type: 'NONE' }
  | { type: 'COGNITO_USER_POOLS'; authorizerLogicalId: string; identityHeader: string; userPoolLogicalIds: string[] };

export interface ApiRoute {
  method: string;
  /** `/things/{thingId}` as API Gateway names the resource path. */
  resourcePath: string;
  integration: RouteIntegration;
  /** JSON Schema models by content type, when a validator checks the body. */
  bodyModels: Record<string, Record<string, unknown>> | undefined;
  methodLogicalId: string;
  authorization: RouteAuthorization;
}

export interface GatewayResponse {
  statusCode: number;
  /** application/json template (simple `$context` substitution). */
  template: string | undefined;
  /** `gatewayresponse.header.X` -> `'static'` or `method.request.header.Y`. */
  responseParameters: Record<string, string>;
}

export interface ApiFromTemplate {
  restApiLogicalId: string;
  stageName: string;
  routes: ApiRoute[];
  gatewayResponses: Record<string, GatewayResponse>;
}

type Props = Record<string, unknown>;

function refOf(value: unknown): string | undefined {
  if (value && typeof value === 'object' && 'Ref' in value) return String((value as { Ref: unknown }).Ref);
  return undefined;
}

function getAttOf(value: unknown): [string, string] | undefined {
  if (value && typeof value === 'object' && 'Fn::GetAtt' in value) {
    const arg = (value as { 'Fn::GetAtt': unknown })['Fn::GetAtt'];
    const [id, attribute] = Array.isArray(arg) ? arg.map(String) : String(arg).split('.');
    if (id !== undefined && attribute !== undefined) return [id, attribute];
  }
  return undefined;
}

/** The function a Lambda proxy integration URI invokes (`.../functions/<Fn::GetAtt X.Arn>/invocations`). */
function proxyFunction(uri: unknown, template: CloudFormationTemplate): string {
  const found: string[] = [];
  const walk = (value: unknown) => {
    const att = getAttOf(value);
    const ref = refOf(value);
    if (att && att[1] === 'Arn' && template.Resources[att[0]]?.Type === 'AWS::Lambda::Function') found.push(att[0]);
    else if (ref && ['AWS::Lambda::Alias', 'AWS::Lambda::Version'].includes(template.Resources[ref]?.Type ?? '')) {
      // An alias or a version of a function: on one machine, the function.
      const target = (template.Resources[ref]?.Properties?.['FunctionName'] as { Ref?: string } | undefined)?.Ref;
      if (target) found.push(target);
    }
    else if (Array.isArray(value)) value.forEach(walk);
    else if (value && typeof value === 'object') Object.values(value).forEach(walk);
  };
  walk(uri);
  const [id] = found;
  if (found.length !== 1 || id === undefined) throw new ApiTemplateError(`cannot find the function of integration URI ${JSON.stringify(uri)}`);
  return id;
}

export function apiFromTemplate(template: CloudFormationTemplate, names: LocalNames = {}): ApiFromTemplate {
  const apis = resourcesOfType(template, 'AWS::ApiGateway::RestApi');
  const [restApiLogicalId] = apis;
  if (apis.length !== 1 || restApiLogicalId === undefined) {
    throw new ApiTemplateError(`expected one AWS::ApiGateway::RestApi in the template, found ${apis.length}`);
  }
  const resources = template.Resources;
  const pathOf = (resourceId: unknown, seen: string[] = []): string => {
    const att = getAttOf(resourceId);
    if (att && att[0] === restApiLogicalId && att[1] === 'RootResourceId') return '';
    const id = refOf(resourceId);
    const resource = id ? resources[id] : undefined;
    if (!id || !resource || resource.Type !== 'AWS::ApiGateway::Resource' || seen.includes(id)) {
      throw new ApiTemplateError(`cannot resolve API resource ${JSON.stringify(resourceId)}`);
    }
    const props = resource.Properties ?? {};
    return `${pathOf(props['ParentId'], [...seen, id])}/${String(props['PathPart'])}`;
  };

  const models = new Map<string, Record<string, unknown>>();
  for (const id of resourcesOfType(template, 'AWS::ApiGateway::Model')) {
    const schema = resources[id]?.Properties?.['Schema'];
    if (schema && typeof schema === 'object') models.set(id, schema as Record<string, unknown>);
  }
  const validatesBody = new Map<string, boolean>();
  for (const id of resourcesOfType(template, 'AWS::ApiGateway::RequestValidator')) {
    validatesBody.set(id, resources[id]?.Properties?.['ValidateRequestBody'] === true);
  }

  const routes: ApiRoute[] = [];
  for (const methodLogicalId of resourcesOfType(template, 'AWS::ApiGateway::Method')) {
    const props = (resources[methodLogicalId]?.Properties ?? {}) as Props;
    const method = String(props['HttpMethod']).toUpperCase();
    const resourcePath = pathOf(props['ResourceId']) || '/';
    const integration = (props['Integration'] ?? {}) as Props;
    const type = String(integration['Type']);
    let routeIntegration: RouteIntegration;
    const uriText = JSON.stringify(resolveIntrinsics(integration['Uri'], template, names) ?? '');
    if (type === 'AWS_PROXY') {
      routeIntegration = { kind: 'lambda-proxy', functionLogicalId: proxyFunction(integration['Uri'], template) };
    } else if (type === 'AWS' && uriText.includes(':states:action/StartSyncExecution')) {
      const requestTemplates = (integration['RequestTemplates'] ?? {}) as Record<string, unknown>;
      const requestTemplate = requestTemplates['application/json'];
      if (requestTemplate === undefined) throw new ApiTemplateError(`${methodLogicalId}: no application/json request template`);
      routeIntegration = {
        kind: 'start-sync-execution',
        requestTemplate: String(resolveIntrinsics(requestTemplate, template, names)),
        responses: ((integration['IntegrationResponses'] ?? []) as Props[]).map((r) => ({
          statusCode: String(r['StatusCode']),
          selectionPattern: r['SelectionPattern'] === undefined ? undefined : String(r['SelectionPattern']),
          template: ((r['ResponseTemplates'] ?? {}) as Record<string, string>)['application/json'],
        })),
        passthroughBehavior: String(integration['PassthroughBehavior'] ?? 'WHEN_NO_MATCH'),
      };
    } else if (type === 'MOCK') {
      routeIntegration = {
        kind: 'mock',
        requestTemplates: (integration['RequestTemplates'] ?? {}) as Record<string, string>,
        passthroughBehavior: String(integration['PassthroughBehavior'] ?? 'WHEN_NO_MATCH'),
        responses: ((integration['IntegrationResponses'] ?? []) as Props[]).map((r) => ({
          statusCode: String(r['StatusCode']),
          selectionPattern: r['SelectionPattern'] === undefined ? undefined : String(r['SelectionPattern']),
          template: ((r['ResponseTemplates'] ?? {}) as Record<string, string>)['application/json'],
          responseParameters: (r['ResponseParameters'] ?? {}) as Record<string, string>,
        })),
      };
    } else {
      throw new ApiTemplateError(`${method} ${resourcePath}: integration ${type} ${uriText} is not supported locally`);
    }
    const authorizationType = String(props['AuthorizationType'] ?? 'NONE');
    let authorization: RouteAuthorization = { type: 'NONE' };
    if (authorizationType === 'COGNITO_USER_POOLS') {
      const authorizerLogicalId = refOf(props['AuthorizerId']);
      const authorizer = authorizerLogicalId ? (resources[authorizerLogicalId]?.Properties ?? {}) : undefined;
      if (!authorizerLogicalId || !authorizer || authorizer['Type'] !== 'COGNITO_USER_POOLS') {
        throw new ApiTemplateError(`${method} ${resourcePath}: its Cognito authorizer ${JSON.stringify(props['AuthorizerId'])} is not in the template`);
      }
      const header = /^method\.request\.header\.(.+)$/.exec(String(authorizer['IdentitySource'] ?? ''))?.[1];
      if (!header) throw new ApiTemplateError(`${authorizerLogicalId}: identity source ${String(authorizer['IdentitySource'])} is not a header`);
      const userPoolLogicalIds = ((authorizer['ProviderARNs'] ?? []) as unknown[]).flatMap((arn) => {
        const att = getAttOf(arn);
        return att && att[1] === 'Arn' ? [att[0]] : [];
      });
      authorization = { type: 'COGNITO_USER_POOLS', authorizerLogicalId, identityHeader: header, userPoolLogicalIds };
    } else if (authorizationType !== 'NONE') {
      throw new ApiTemplateError(`${method} ${resourcePath}: authorization ${authorizationType} is not supported locally`);
    }
    let bodyModels: ApiRoute['bodyModels'];
    const validatorId = refOf(props['RequestValidatorId']);
    if (validatorId && validatesBody.get(validatorId)) {
      bodyModels = {};
      for (const [contentType, model] of Object.entries((props['RequestModels'] ?? {}) as Record<string, unknown>)) {
        const modelId = refOf(model);
        const schema = modelId ? models.get(modelId) : undefined;
        if (!schema) throw new ApiTemplateError(`${methodLogicalId}: model ${JSON.stringify(model)} not found`);
        bodyModels[contentType.toLowerCase()] = schema;
      }
    }
    routes.push({ method, resourcePath, integration: routeIntegration, bodyModels, methodLogicalId, authorization });
  }

  const gatewayResponses: Record<string, GatewayResponse> = {};
  for (const id of resourcesOfType(template, 'AWS::ApiGateway::GatewayResponse')) {
    const props = resources[id]?.Properties ?? {};
    gatewayResponses[String(props['ResponseType'])] = {
      statusCode: Number(props['StatusCode']),
      template: ((props['ResponseTemplates'] ?? {}) as Record<string, string>)['application/json'],
      responseParameters: (props['ResponseParameters'] ?? {}) as Record<string, string>,
    };
  }
  const stages = resourcesOfType(template, 'AWS::ApiGateway::Stage');
  const stageName = String(resources[stages[0] ?? '']?.Properties?.['StageName'] ?? 'prod');
  return { restApiLogicalId, stageName, routes, gatewayResponses };
}

/** API Gateway's default responses for the types a template does not customise. */
const DEFAULT_GATEWAY_RESPONSES: Record<string, { statusCode: number; message: string }> = {
  BAD_REQUEST_BODY: { statusCode: 400, message: '$context.error.messageString' },
  UNSUPPORTED_MEDIA_TYPE: { statusCode: 415, message: '"Unsupported Media Type"' },
  MISSING_AUTHENTICATION_TOKEN: { statusCode: 403, message: '"Missing Authentication Token"' },
  INTEGRATION_TIMEOUT: { statusCode: 504, message: '"Endpoint request timed out"' },
  INTEGRATION_FAILURE: { statusCode: 504, message: '"Internal server error"' },
  REQUEST_TOO_LARGE: { statusCode: 413, message: '"Request Too Long"' },
  DEFAULT_4XX: { statusCode: 400, message: '$context.error.messageString' },
  DEFAULT_5XX: { statusCode: 502, message: '"Internal server error"' },
};

/** Which configured type applies, with API Gateway's fallbacks to DEFAULT_4XX / DEFAULT_5XX. */
export function renderGatewayResponse(
  responses: Record<string, GatewayResponse>,
  type: string,
  messageString: string,
): { statusCode: number; body: string } {
  const fallback = DEFAULT_GATEWAY_RESPONSES[type];
  const statusGuess = fallback?.statusCode ?? 500;
  const configured = configuredResponse(responses, type);
  // A status set on DEFAULT_4XX/5XX applies to every type of its class without its own.
  const statusCode = configured?.statusCode ?? statusGuess;
  const template = configured?.template ?? `{"message":${fallback?.message ?? '$context.error.messageString'}}`;
  // Gateway response templates allow simple substitution; messageString comes quoted.
  const body = template
    .replaceAll('$context.error.messageString', JSON.stringify(messageString))
    .replaceAll('$context.error.validationErrorString', JSON.stringify(messageString))
    .replaceAll('$context.error.responseType', type);
  return { statusCode, body };
}

function configuredResponse(responses: Record<string, GatewayResponse>, type: string): GatewayResponse | undefined {
  const statusGuess = DEFAULT_GATEWAY_RESPONSES[type]?.statusCode ?? 500;
  return responses[type] ?? responses[statusGuess >= 500 ? 'DEFAULT_5XX' : 'DEFAULT_4XX'];
}

/** The headers a gateway response of this type carries (its response parameters, e.g. CORS), for this request. */
export function gatewayResponseHeaders(responses: Record<string, GatewayResponse>, type: string, requestHeaders: Record<string, string>): [string, string][] {
  return responseHeaders(configuredResponse(responses, type)?.responseParameters ?? {}, 'gatewayresponse.header.', requestHeaders);
}

/**
 * Response parameters as API Gateway maps them: `<prefix>Name` from a static `'value'` or from
 * `method.request.header.Other` (left out when the request has no such header).
 */
export function responseHeaders(parameters: Record<string, string>, prefix: string, requestHeaders: Record<string, string>): [string, string][] {
  const out: [string, string][] = [];
  for (const [target, source] of Object.entries(parameters)) {
    if (!target.startsWith(prefix)) continue;
    const name = target.slice(prefix.length);
    const literal = /^'(.*)'$/s.exec(source);
    if (literal) out.push([name, literal[1] as string]);
    else {
      const header = /^method\.request\.header\.(.+)$/.exec(source)?.[1];
      const value = header ? Object.entries(requestHeaders).find(([key]) => key.toLowerCase() === header.toLowerCase())?.[1] : undefined;
      if (value !== undefined) out.push([name, value]);
    }
  }
  return out;
}
