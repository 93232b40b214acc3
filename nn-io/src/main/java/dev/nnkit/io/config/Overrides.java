package dev.nnkit.io.config;

import dev.nnkit.io.json.StrictJson;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Command-line edits of a config tree: {@code path=value}, the path dotted
 * ({@code training.maxEpochs}, {@code layers.0.units}, or with a list index in brackets,
 * {@code layers[0].units}), the value JSON ({@code 0.01}, {@code true}, {@code [1,2]}) or else a
 * plain string. The edited config is then validated like any other.
 */
public final class Overrides {
    private Overrides() {
    }

    /**
     * Applies one {@code path=value} edit.
     *
     * @throws IllegalArgumentException naming the edit, when it is malformed or its path cannot exist
     */
    public static void apply(ObjectNode root, String edit) {
        int eq = edit.indexOf('=');
        if (eq <= 0) {
            throw new IllegalArgumentException("--set " + edit + ": expected path=value, e.g. optimizer.learningRate=0.01.");
        }
        // layers[1].units is layers.1.units, as jq and JSONPath write it
        String[] path = edit.substring(0, eq).replaceAll("\\[(\\d+)]", ".$1").split("\\.");
        JsonNode value = value(edit.substring(eq + 1));
        JsonNode node = root;
        for (int i = 0; i < path.length - 1; i++) {
            JsonNode next = child(node, path[i]);
            if (next == null) {
                if (!(node instanceof ObjectNode o)) {
                    throw new IllegalArgumentException("--set " + edit + ": '" + path[i] + "' is not an index of the list at "
                            + String.join(".", java.util.Arrays.copyOf(path, i)) + ".");
                }
                next = o.putObject(path[i]);
            }
            node = next;
        }
        String last = path[path.length - 1];
        if (node instanceof ObjectNode o) {
            o.set(last, value);
        } else if (node instanceof ArrayNode a && index(last) < a.size()) {
            a.set(index(last), value);
        } else {
            throw new IllegalArgumentException("--set " + edit + ": cannot set '" + last + "' there; "
                    + "the path must lead into an object or to an existing list index.");
        }
    }

    private static JsonNode child(JsonNode node, String key) {
        if (node instanceof ArrayNode a) {
            return index(key) < a.size() ? a.get(index(key)) : null;
        }
        return node.get(key);
    }

    /** A list index, or Integer.MAX_VALUE for anything else (99999999999 included: it cannot be an index). */
    private static int index(String key) {
        return key.matches("\\d{1,9}") ? Integer.parseInt(key) : Integer.MAX_VALUE;
    }

    private static JsonNode value(String text) {
        try {
            JsonNode n = StrictJson.read(text);
            return n == null || n.isMissingNode() ? tools.jackson.databind.node.JsonNodeFactory.instance.stringNode(text) : n;
        } catch (JacksonException e) {
            return tools.jackson.databind.node.JsonNodeFactory.instance.stringNode(text);
        }
    }
}
