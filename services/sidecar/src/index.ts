export { installCrashGuards, runReminderSafely } from './crash-guards.js';
export { createDaprClient, createDaprServer, type DaprServerSpec, type SidecarAddress } from './dapr-client.factory.js';
export { BindingError, describeSdkError, PayloadTooLargeError, PermanentError, PublishError } from './errors.js';
export { isJsonScalar } from './json-scalar.js';
export { ObjectStoreBinding, type StoredObject } from './object-store.binding.js';
export { Publisher } from './publisher.js';
export { guardHandler, subscribeTopic, type TopicSubscription } from './subscriptions.js';
export { readReminderPayload, reminderPayload } from './reminder-payload.js';
