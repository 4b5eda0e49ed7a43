/**
 * How deep and how large a JSON text is, measured in one pass over its characters without
 * building anything, so a hostile body is refused before JSON.parse turns a few megabytes of
 * brackets into hundreds of megabytes of objects. Values are counted as containers opened plus
 * separators (commas), which bounds the objects, arrays and strings a parse would allocate.
 */
export interface JsonShapeLimits {
  maxDepth: number;
  maxValues: number;
}

export type JsonShapeVerdict = { fits: true } | { fits: false; reason: "too-deep" | "too-many-values" };

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACE = 0x7d;
const CLOSE_BRACKET = 0x5d;
const COMMA = 0x2c;

export function measureJsonShape(text: string, limits: JsonShapeLimits): JsonShapeVerdict {
  let depth = 0;
  let values = 1;
  let inString = false;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (inString) {
      if (code === BACKSLASH) index += 1;
      else if (code === QUOTE) inString = false;
      continue;
    }
    switch (code) {
      case QUOTE:
        inString = true;
        break;
      case OPEN_BRACE:
      case OPEN_BRACKET:
        depth += 1;
        values += 1;
        if (depth > limits.maxDepth) return { fits: false, reason: "too-deep" };
        if (values > limits.maxValues) return { fits: false, reason: "too-many-values" };
        break;
      case CLOSE_BRACE:
      case CLOSE_BRACKET:
        depth -= 1;
        break;
      case COMMA:
        values += 1;
        if (values > limits.maxValues) return { fits: false, reason: "too-many-values" };
        break;
    }
  }
  return { fits: true };
}
