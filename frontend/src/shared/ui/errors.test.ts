import { describe, expect, it } from "vitest";

import { ApiError, NetworkError } from "../../lib/api/client";
import { describeError, fieldError } from "./errors";

describe("describeError", () => {
  it("reads the API's {detail, code, errors} shape", () => {
    const error = new ApiError(400, {
      detail: "name: may not be blank",
      code: "invalid",
      errors: { name: ["may not be blank"], non_field_errors: ["bad"] },
    });
    const described = describeError(error);
    expect(described.message).toBe("name: may not be blank");
    expect(described.fields).toEqual([
      ["name", ["may not be blank"]],
      ["", ["bad"]],
    ]);
    expect(fieldError(error, "name")).toBe("may not be blank");
    expect(fieldError(error, "hotkey")).toBe("");
  });
  it("lists a batch's per-item errors", () => {
    const error = new ApiError(400, { detail: "x", items: [{ index: 2, errors: { text: ["blank"] } }] });
    expect(describeError(error).items).toEqual([[2, ["text: blank"]]]);
  });
  it("copes with bodies that are not JSON objects and with other errors", () => {
    expect(describeError(new ApiError(502, null)).message).toBe("The server answered 502.");
    expect(describeError(new NetworkError("The server could not be reached.")).message).toContain("reached");
    expect(describeError("??").message).toBe("Something went wrong.");
  });
});
