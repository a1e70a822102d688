// A project's webhooks and their deliveries (docs/api.md, "Webhooks"), typed from the OpenAPI paths.
import { call } from "./http";
import type { components } from "./schema";

type S = components["schemas"];
export type Webhook = S["Webhook"];
export type WebhookCreated = S["WebhookCreated"];
export type Delivery = S["Delivery"];
export type DeliveryStatus = S["DeliveryStatusEnum"];

/** Every event a webhook may subscribe to, in the server's order (ping is sent only by hand). */
export const WEBHOOK_EVENTS = [
  "article.submitted",
  "article.adjudicated",
  "import.finished",
  "export.finished",
  "preannotation.finished",
  "job.failed",
  "member.added",
  "member.removed",
] as const;

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
