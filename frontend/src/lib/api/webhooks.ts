// A project's webhooks and their deliveries (docs/api.md, "Webhooks"), typed from the OpenAPI paths.
import { call } from "./http";
import type { components } from "./schema";

type S = components["schemas"];
export type Webhook = S["Webhook"];
export type WebhookCreated = S["WebhookCreated"];
export type Delivery = S["Delivery"];
export type DeliveryStatus = S["DeliveryStatusEnum"];

export type WebhookEvent = S["EventsEnum"];

/** Every event a webhook may subscribe to, in the server's order, with what it means: a Record
 * over the schema's enum, so an event the server adds fails the type check until it is here. */
export const WEBHOOK_EVENTS: Record<WebhookEvent, string> = {
  "article.submitted": "an annotator submitted an article",
  "article.adjudicated": "a reviewer marked an article adjudicated",
  "import.finished": "an import job ended",
  "export.finished": "an export job ended",
  "preannotation.finished": "a pre-annotation or claim_links job ended",
  "job.failed": "any job failed",
  "member.added": "someone joined the project",
  "member.removed": "someone left the project",
};

export const EVENT_NAMES = Object.keys(WEBHOOK_EVENTS) as WebhookEvent[];

export const webhooks = {
  list: (projectId: number) => call("get", "/api/v1/projects/{project_id}/webhooks/", { path: { project_id: projectId } }),
  create: (projectId: number, body: { url: string; events: string[]; active?: boolean }) =>
    call("post", "/api/v1/projects/{project_id}/webhooks/", { path: { project_id: projectId }, body }),
  update: (webhookId: number, changes: { url?: string; events?: string[]; active?: boolean }) =>
    call("patch", "/api/v1/webhooks/{webhook_id}/", { path: { webhook_id: webhookId }, body: changes }),
  remove: (webhookId: number) => call("delete", "/api/v1/webhooks/{webhook_id}/", { path: { webhook_id: webhookId } }),
  deliveries: (webhookId: number, page = 1) =>
    call("get", "/api/v1/webhooks/{webhook_id}/deliveries/", {
      path: { webhook_id: webhookId },
      query: { page, page_size: 20 },
    }),
  redeliver: (webhookId: number, deliveryId: number) =>
    call("post", "/api/v1/webhooks/{webhook_id}/deliveries/{delivery_id}/redeliver/", {
      path: { webhook_id: webhookId, delivery_id: deliveryId },
    }),
  ping: (webhookId: number) => call("post", "/api/v1/webhooks/{webhook_id}/ping/", { path: { webhook_id: webhookId } }),
};
