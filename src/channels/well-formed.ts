/**
 * Text from a platform payload made well-formed: a JSON body may carry lone UTF-16 surrogates (`"\ud800"`), which
 * JavaScript strings hold but Redis' Lua JSON decoder and the platforms refuse. Each becomes U+FFFD.
 */
const LONE_SURROGATE = /\p{Surrogate}/gu;

/** `text` with every lone surrogate replaced by U+FFFD (pairs, emoji among them, are kept). */
export function wellFormed(text: string): string {
  return text.replace(LONE_SURROGATE, "\uFFFD");
}
