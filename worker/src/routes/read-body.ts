// Why: every request body is parsed with its protocol schema at the boundary, then trusted.
import type { Context } from "hono";
import type { z } from "zod";
import { PortholeError } from "../errors.ts";

export async function readBody<S extends z.ZodType>(c: Context, schema: S): Promise<z.infer<S>> {
  let json: unknown;
  try {
    json = await c.req.json();
  } catch {
    throw PortholeError.badRequest("the body is not JSON");
  }
  const result = schema.safeParse(json);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw PortholeError.badRequest(`${issue?.path.join(".") || "body"}: ${issue?.message ?? "invalid"}`);
  }
  return result.data;
}
