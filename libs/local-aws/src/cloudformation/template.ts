/**
 * Reading a synthesized CloudFormation template on one machine: resolve the references in
 * a state machine's definition (function ARNs, table and bus names) to local values, find the
 * handler source of every function from the metadata key the project uses, the event rules
 * and schedules. Product-blind: what a project marks (its metadata keys) is passed in.
 */

export interface CloudFormationResource {
  Type: string;
  Properties?: Record<string, unknown>;
  Metadata?: Record<string, unknown>;
}

export interface CloudFormationTemplate {
  Resources: Record<string, CloudFormationResource>;
  [section: string]: unknown;
}

export interface LocalNames {
  region?: string;
  accountId?: string;
  partition?: string;
  stackName?: string;
  /** Physical names for `Ref`s, by logical id (e.g. the local table's name). */
  refs?: Record<string, string>;
  /** Values for `Fn::GetAtt`s, by `<logicalId>.<attribute>` (e.g. a distribution's DomainName). */
  attributes?: Record<string, string>;
}

export class TemplateResolutionError extends Error {
  override name = 'TemplateResolutionError';
}

/** The ARN a function of the template gets locally: its logical id as the function name. */
export function localFunctionArn(logicalId: string, names: LocalNames = {}): string {
  return `arn:${names.partition ?? 'aws'}:lambda:${names.region ?? 'us-east-1'}:${names.accountId ?? '000000000000'}:function:${logicalId}`;
}

/** Resolves Ref, Fn::GetAtt, Fn::Join, Fn::Sub and Fn::Select against local names. */
export function resolveIntrinsics(value: unknown, template: CloudFormationTemplate, names: LocalNames = {}): unknown {
  const resolve = (v: unknown): unknown => resolveIntrinsics(v, template, names);
  if (Array.isArray(value)) return value.map(resolve);
  if (value === null || typeof value !== 'object') return value;
  const entries = Object.entries(value as Record<string, unknown>);
  const [first] = entries;
  if (entries.length === 1 && first) {
    const [fn, arg] = first;
    switch (fn) {
      case 'Ref':
        return ref(String(arg), template, names);
      case 'Fn::GetAtt': {
        const [logicalId, attribute] = Array.isArray(arg) ? arg.map(String) : String(arg).split('.');
        return getAtt(logicalId ?? '', attribute ?? '', template, names);
      }
      case 'Fn::Join': {
        const [separator, parts] = arg as [string, unknown[]];
        return (resolve(parts) as unknown[]).map(String).join(separator);
      }
      case 'Fn::Select': {
        const [index, list] = arg as [number, unknown];
        return (resolve(list) as unknown[])[Number(index)];
      }
      case 'Fn::Sub': {
        const [text, variables] = Array.isArray(arg) ? (arg as [string, Record<string, unknown>]) : [String(arg), {}];
        const resolved = Object.fromEntries(Object.entries(variables).map(([k, v]) => [k, String(resolve(v))]));
        return text.replace(/\$\{([^}]+)\}/g, (_m, name: string) => {
          if (name in resolved) return resolved[name] as string;
          if (name.includes('.')) {
            const [id, attribute] = name.split('.');
            return String(getAtt(id ?? '', attribute ?? '', template, names));
          }
          return String(ref(name, template, names));
        });
      }
      default:
        if (fn.startsWith('Fn::')) throw new TemplateResolutionError(`${fn} is not supported`);
    }
  }
  return Object.fromEntries(entries.map(([k, v]) => [k, resolve(v)]));
}

function ref(name: string, template: CloudFormationTemplate, names: LocalNames): string {
  switch (name) {
    case 'AWS::Region':
      return names.region ?? 'us-east-1';
    case 'AWS::AccountId':
      return names.accountId ?? '000000000000';
    case 'AWS::Partition':
      return names.partition ?? 'aws';
    case 'AWS::URLSuffix':
      return 'amazonaws.com';
    case 'AWS::StackName':
      return names.stackName ?? 'LocalStack';
  }
  if (names.refs?.[name] !== undefined) return names.refs[name];
  const resource = template.Resources[name];
  if (!resource) throw new TemplateResolutionError(`Ref to unknown resource ${name}`);
  // A version or an alias of a state machine is, on one machine, the state machine: there is one
  // definition, the template's. (In AWS their Ref is a qualified ARN.)
  if (resource.Type === 'AWS::StepFunctions::StateMachineVersion') {
    return resolveIntrinsics(resource.Properties?.['StateMachineArn'], template, names) as string;
  }
  if (resource.Type === 'AWS::StepFunctions::StateMachineAlias') {
    const properties = resource.Properties ?? {};
    const versionArn =
      (properties['DeploymentPreference'] as { StateMachineVersionArn?: unknown } | undefined)?.StateMachineVersionArn ??
      (properties['RoutingConfiguration'] as { StateMachineVersionArn?: unknown }[] | undefined)?.[0]?.StateMachineVersionArn;
    const versionId = (versionArn as { 'Fn::GetAtt'?: [string, string]; Ref?: string } | undefined)?.['Fn::GetAtt']?.[0] ?? (versionArn as { Ref?: string } | undefined)?.Ref;
    if (!versionId) throw new TemplateResolutionError(`${name}: the alias names no version of the template`);
    return ref(versionId, template, names);
  }
  // A published version or an alias of a function is, on one machine, the function: there is
  // one definition of it, the one in the template. (Its Ref in AWS is a qualified ARN.)
  if (resource.Type === 'AWS::Lambda::Version' || resource.Type === 'AWS::Lambda::Alias') {
    const fn = resource.Properties?.['FunctionName'] as { Ref?: string; 'Fn::GetAtt'?: [string, string] } | undefined;
    const functionId = fn?.Ref ?? fn?.['Fn::GetAtt']?.[0];
    if (!functionId) throw new TemplateResolutionError(`${name}: the FunctionName of a ${resource.Type} must reference a function of the template`);
    return localFunctionArn(functionId, names);
  }
  return name;
}

function getAtt(logicalId: string, attribute: string, template: CloudFormationTemplate, names: LocalNames): string {
  const resource = template.Resources[logicalId];
  if (!resource) throw new TemplateResolutionError(`Fn::GetAtt of unknown resource ${logicalId}`);
  const given = names.attributes?.[`${logicalId}.${attribute}`];
  if (given !== undefined) return given;
  if (resource.Type === 'AWS::StepFunctions::StateMachineVersion' && attribute === 'Arn') return ref(logicalId, template, names);
  // One machine serves what a distribution would put in front of it: its domain is this host.
  if (resource.Type === 'AWS::CloudFront::Distribution' && attribute === 'DomainName') return 'localhost';
  if (attribute === 'Arn') {
    switch (resource.Type) {
      case 'AWS::Lambda::Function':
        return localFunctionArn(logicalId, names);
      case 'AWS::DynamoDB::Table':
        return `arn:aws:dynamodb:${names.region ?? 'us-east-1'}:${names.accountId ?? '000000000000'}:table/${ref(logicalId, template, names)}`;
      case 'AWS::Events::EventBus':
        return `arn:aws:events:${names.region ?? 'us-east-1'}:${names.accountId ?? '000000000000'}:event-bus/${ref(logicalId, template, names)}`;
      default:
        return `arn:aws:local:${names.region ?? 'us-east-1'}:${names.accountId ?? '000000000000'}:${logicalId}`;
    }
  }
  if (attribute === 'Name') return ref(logicalId, template, names);
  throw new TemplateResolutionError(`Fn::GetAtt ${logicalId}.${attribute} is not supported`);
}

/** The logical ids of the resources of a type whose metadata has `key: value` (how a project marks its resources). */
export function resourcesWithMetadata(template: CloudFormationTemplate, type: string, key: string, value: unknown): string[] {
  return Object.entries(template.Resources)
    .filter(([, r]) => r.Type === type && r.Metadata?.[key] === value)
    .map(([id]) => id);
}

/** The one resource of a type marked `key: value`; TemplateResolutionError when there is not exactly one. */
export function theResourceWithMetadata(template: CloudFormationTemplate, type: string, key: string, value: unknown): string {
  const ids = resourcesWithMetadata(template, type, key, value);
  if (ids.length !== 1 || !ids[0]) throw new TemplateResolutionError(`expected one ${type} with ${key}=${String(value)} in the template, found ${ids.length}`);
  return ids[0];
}

/** The state machine's ASL with every reference resolved to local names. */
export function stateMachineDefinitionFromTemplate(template: CloudFormationTemplate, names: LocalNames, logicalId: string): Record<string, unknown> {
  const properties = template.Resources[logicalId]?.Properties ?? {};
  const raw = properties['DefinitionString'] ?? properties['Definition'];
  const text = typeof raw === 'string' ? raw : typeof raw === 'object' ? resolveIntrinsics(raw, template, names) : undefined;
  if (text === undefined) throw new TemplateResolutionError(`${logicalId} has no definition`);
  let definitionText = typeof text === 'string' ? text : JSON.stringify(text);
  const substitutions = (properties['DefinitionSubstitutions'] ?? {}) as Record<string, unknown>;
  definitionText = definitionText.replace(/\$\{([A-Za-z0-9_]+)\}/g, (match, key: string) => {
    if (!(key in substitutions)) return match;
    // Substituted into JSON text: escape as JSON string content.
    return JSON.stringify(String(resolveIntrinsics(substitutions[key], template, names))).slice(1, -1);
  });
  const unresolved = definitionText.match(/"\$\{[A-Za-z0-9_]+\}"/);
  if (unresolved) throw new TemplateResolutionError(`definition placeholder ${unresolved[0]} has no substitution`);
  return JSON.parse(definitionText) as Record<string, unknown>;
}

export interface TemplateFunction {
  logicalId: string;
  /** The local ARN the resolved definition uses for this function. */
  arn: string;
  /** `<file>#<export>`, from the function's metadata (e.g. `src/handlers/get-item.ts#handler`). */
  handlerSource: string;
  /** The handler file, relative to the repository root. */
  handlerFile: string;
  handlerExport: string;
  /** Environment variables, resolved to local names. */
  environment: Record<string, string>;
  timeoutSeconds: number;
}

/** Every Lambda function of the template that names its handler source in its metadata under `handlerMetadataKey`. */
export function functionsFromTemplate(template: CloudFormationTemplate, names: LocalNames, handlerMetadataKey: string): TemplateFunction[] {
  return Object.entries(template.Resources)
    .filter(([, r]) => r.Type === 'AWS::Lambda::Function' && typeof r.Metadata?.[handlerMetadataKey] === 'string')
    .map(([logicalId, r]) => {
      const handlerSource = r.Metadata?.[handlerMetadataKey] as string;
      const [handlerFile = '', handlerExport = 'handler'] = handlerSource.split('#');
      const variables = ((r.Properties?.['Environment'] as { Variables?: Record<string, unknown> } | undefined)?.Variables ??
        {}) as Record<string, unknown>;
      const environment = Object.fromEntries(
        Object.entries(variables).map(([k, v]) => [k, String(resolveIntrinsics(v, template, names))]),
      );
      return {
        logicalId,
        arn: localFunctionArn(logicalId, names),
        handlerSource,
        handlerFile,
        handlerExport,
        environment,
        timeoutSeconds: Number(r.Properties?.['Timeout'] ?? 3),
      };
    });
}

/** The logical ids of the template's resources of one type. */
export function resourcesOfType(template: CloudFormationTemplate, type: string): string[] {
  return Object.entries(template.Resources)
    .filter(([, r]) => r.Type === type)
    .map(([id]) => id);
}

export interface TemplateEventRule {
  logicalId: string;
  /** The rule's bus (resolved Ref), when it names one. */
  eventBusName: string | undefined;
  eventPattern: Record<string, unknown>;
  /** Target ARNs (resolved: local function ARNs for the consumer functions). */
  targetArns: string[];
}

/**
 * The template's EventBridge rules that match events (an `EventPattern`), with their
 * patterns and resolved targets (for the local bus). Scheduled rules are not among them:
 * see `scheduledRulesFromTemplate`.
 */
export function eventRulesFromTemplate(template: CloudFormationTemplate, names: LocalNames = {}): TemplateEventRule[] {
  const matching = resourcesOfType(template, 'AWS::Events::Rule').filter(
    (logicalId) => template.Resources[logicalId]?.Properties?.['EventPattern'] !== undefined,
  );
  return matching.map((logicalId) => {
    const properties = template.Resources[logicalId]?.Properties ?? {};
    const pattern = properties['EventPattern'];
    const targets = (properties['Targets'] ?? []) as { Arn: unknown }[];
    return {
      logicalId,
      eventBusName:
        properties['EventBusName'] === undefined ? undefined : String(resolveIntrinsics(properties['EventBusName'], template, names)),
      eventPattern: (typeof pattern === 'string' ? JSON.parse(pattern) : pattern) as Record<string, unknown>,
      targetArns: targets.map((t) => String(resolveIntrinsics(t.Arn, template, names))),
    };
  });
}

export interface TemplateScheduledRule {
  logicalId: string;
  /** `rate(1 minute)`, `cron(...)` as EventBridge takes it. */
  scheduleExpression: string;
  /** The interval of a `rate(...)` expression in milliseconds; undefined for `cron(...)`. */
  rateMs: number | undefined;
  enabled: boolean;
  /** Target ARNs (resolved: local function ARNs). */
  targetArns: string[];
}

const RATE_UNIT_MS: Record<string, number> = { minute: 60_000, hour: 3_600_000, day: 86_400_000 };

/** The template's scheduled rules (`ScheduleExpression`): what the local stack runs on a timer. */
export function scheduledRulesFromTemplate(template: CloudFormationTemplate, names: LocalNames = {}): TemplateScheduledRule[] {
  return resourcesOfType(template, 'AWS::Events::Rule')
    .filter((logicalId) => typeof template.Resources[logicalId]?.Properties?.['ScheduleExpression'] === 'string')
    .map((logicalId) => {
      const properties = template.Resources[logicalId]?.Properties ?? {};
      const scheduleExpression = properties['ScheduleExpression'] as string;
      const rate = /^rate\((\d+) (minute|hour|day)s?\)$/.exec(scheduleExpression);
      const targets = (properties['Targets'] ?? []) as { Arn: unknown }[];
      return {
        logicalId,
        scheduleExpression,
        rateMs: rate?.[1] && rate[2] ? Number(rate[1]) * (RATE_UNIT_MS[rate[2]] ?? 0) : undefined,
        enabled: (properties['State'] ?? 'ENABLED') === 'ENABLED',
        targetArns: targets.map((t) => String(resolveIntrinsics(t.Arn, template, names))),
      };
    });
}
