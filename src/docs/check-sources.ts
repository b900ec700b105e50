/**
 * @fileoverview The AWS page each check (a rule's message) rests on, for the README's table of
 * checks. Kept apart from the rule files so the table has one place to read from; a docs test
 * keeps it whole (every message of every rule has a source).
 */

const DG = 'https://docs.aws.amazon.com/lambda/latest/dg';
const NODE = `${DG}/lambda-managed-instances-nodejs-runtime.html`;
const PYTHON = `${DG}/lambda-managed-instances-python-runtime.html`;
const LMI = `${DG}/lambda-managed-instances.html`;
const NODE_LOGGING = `${DG}/nodejs-logging.html`;
const RUNTIMES = `${DG}/lambda-managed-instances-runtimes.html`;
const SCALING = `${DG}/lambda-managed-instances-scaling.html`;
const CAPACITY_CONFIG = 'https://docs.aws.amazon.com/lambda/latest/api/API_LambdaManagedInstancesCapacityProviderConfig.html';
const SCALING_CONFIG = 'https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-lambda-function-functionscalingconfig.html';
const SAM_CAPACITY = 'https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-property-function-capacityproviderconfig.html';
const SQS = `${DG}/with-sqs.html`;
const EXECUTION_ENVIRONMENT = `${DG}/lambda-managed-instances-execution-environment.html`;
const ASYNC = `${DG}/invocation-async.html`;
const MAPPINGS = `${DG}/invocation-eventsourcemapping.html`;

/** Rule id -> message id -> AWS page. */
export const CHECK_SOURCES: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  'global-mutable-state': {
    reassigned: NODE,
    reassignedWithRequestData: NODE,
    reassignedWithValue: NODE,
    mutated: NODE,
    elementsMixed: NODE,
    thisMutated: NODE,
    envWrite: NODE,
    implicitGlobal: NODE,
  },
  'thread-shared-state': { threadGlobal: PYTHON, threadUpdate: PYTHON },
  'shared-tmp-path': {
    staticPath: NODE,
    eventPath: NODE,
    initTempPath: NODE,
    sharedRead: PYTHON,
    pyStaticPath: PYTHON,
    pyEventPath: PYTHON,
    pyInitTempPath: PYTHON,
    pySharedRead: PYTHON,
    repeatablePath: PYTHON,
    counterPath: PYTHON,
    shellPath: NODE,
    initWrite: PYTHON,
  },
  'shared-db-connection': {
    moduleConnection: NODE,
    lazyConnection: NODE,
    perInvocation: NODE,
    sharedClosed: NODE,
    processConnection: PYTHON,
    perInvocationProcess: PYTHON,
  },
  'pool-undersized': { undersized: NODE, connectionBudget: NODE, processPool: PYTHON },
  'event-source-backpressure': {
    sqsVisibilityTimeout: SQS,
    sqsNoRedrive: SQS,
    sqsLowMaxReceiveCount: SCALING,
    asyncNoFailureHandling: ASYNC,
    streamNoFailureHandling: MAPPINGS,
  },
  'unstructured-logging': { console: NODE_LOGGING, stdoutWrite: NODE_LOGGING, streamLogger: NODE_LOGGING, print: PYTHON },
  'unsafe-shared-collection': { lazyInitRace: NODE, checkThenAct: NODE },
  lifecycle: {
    layers: LMI,
    initAlarm: SCALING,
    callbackHandler: NODE,
    contextMethod: NODE,
    callbackWaits: NODE,
    signalHandler: NODE,
    traceIdEnv: NODE,
    dependencyFloor: NODE,
    dependencyRangeBelowFloor: NODE,
    dependencyUnresolved: NODE,
    awsSdkV2: NODE,
  },
  'unchecked-timeout': {
    awaitLoop: EXECUTION_ENVIRONMENT,
  },
  'lmi-runtime-support': {
    unsupportedRuntime: RUNTIMES,
    memoryTooLow: RUNTIMES,
    memoryTooHigh: RUNTIMES,
    memoryPerVCpu: SCALING,
    maxConcurrencyRange: CAPACITY_CONFIG,
    nodeConcurrencyPerVCpu: NODE,
    logFormat: LMI,
    noPublishedVersion: LMI,
    scalingMinZero: SCALING_CONFIG,
    scalingMinAboveMax: SCALING_CONFIG,
    unsupportedEventSource: LMI,
    lmiAddedToExisting: SAM_CAPACITY,
  },
};
