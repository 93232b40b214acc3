package dev.nnkit.io.json;

import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Builds a {@link JsonNode} tree straight from Jackson's streaming parser, the nodes a
 * {@code JsonMapper.readTree} would build. Why not the mapper: its initialisation is half of a
 * fresh JVM's model load (about 250 ms of 570: type factories, serializer caches, java.time
 * support), and reading a tree needs none of it. {@code JsonTreesTest} holds the two equal.
 */
final class JsonTrees {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private JsonTrees() {
    }

    /** The document's one value, or null for an empty document; content after it is an error. */
    static JsonNode read(JsonParser p) {
        JsonToken first = p.nextToken();
        if (first == null) {
            return null;
        }
        JsonNode root = value(p, first);
        JsonToken trailing = p.nextToken();
        if (trailing != null) {
            throw new StreamReadException(p, "Trailing token (of type " + trailing + ") found after value");
        }
        return root;
    }

    // Recursion is bounded: the parser's constraints stop nesting at StrictJson's depth limit.
    private static JsonNode value(JsonParser p, JsonToken t) {
        return switch (t) {
            case START_OBJECT -> object(p);
            case START_ARRAY -> array(p);
            case VALUE_STRING -> NODES.stringNode(p.getString());
            case VALUE_NUMBER_INT -> switch (p.getNumberType()) {
                case INT -> NODES.numberNode(p.getIntValue());
                case LONG -> NODES.numberNode(p.getLongValue());
                default -> NODES.numberNode(p.getBigIntegerValue());
            };
            case VALUE_NUMBER_FLOAT -> NODES.numberNode(p.getDoubleValue());
            case VALUE_TRUE -> NODES.booleanNode(true);
            case VALUE_FALSE -> NODES.booleanNode(false);
            case VALUE_NULL -> NODES.nullNode();
            default -> throw new StreamReadException(p, "Unexpected token " + t);
        };
    }

    private static ObjectNode object(JsonParser p) {
        ObjectNode o = NODES.objectNode();
        for (JsonToken t = next(p); t != JsonToken.END_OBJECT; t = next(p)) {
            String name = p.currentName(); // t is PROPERTY_NAME: the parser checks the grammar
            o.set(name, value(p, next(p)));
        }
        return o;
    }

    /** The next token; the parser itself reports an end of input inside a value, this is a second guard. */
    private static JsonToken next(JsonParser p) {
        JsonToken t = p.nextToken();
        if (t == null) {
            throw new StreamReadException(p, "Unexpected end-of-input inside a value");
        }
        return t;
    }

    private static ArrayNode array(JsonParser p) {
        ArrayNode a = NODES.arrayNode();
        for (JsonToken t = next(p); t != JsonToken.END_ARRAY; t = next(p)) {
            a.add(value(p, t));
        }
        return a;
    }
}
