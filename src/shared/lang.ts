/** The languages the assistant speaks: every layer (knowledge, retrieval, answers, channels) uses this one type. */
import { z } from "zod";

export const LANGS = ["fr", "en"] as const;
export type Lang = (typeof LANGS)[number];
export const LangSchema = z.enum(LANGS);
