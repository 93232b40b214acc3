package dev.nnkit.io.json;

import dev.nnkit.io.InvalidFileException;
import java.nio.file.Path;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLFactory;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * YAML configs, parsed with JSON's limits. The only class that touches Jackson's YAML module,
 * loaded only when a YAML file is read: the module is optional ({@link StrictJson#parseYaml}
 * checks it is there first).
 */
final class StrictYaml {
    private static final YAMLMapper YAML = YAMLMapper.builder(YAMLFactory.builder()
                    .streamReadConstraints(StrictJson.limits(8L << 20))
                    .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build())
            .build();

    private StrictYaml() {
    }

    static JsonNode parse(Path file, byte[] bytes) throws InvalidFileException {
        try {
            JsonNode n = YAML.readTree(bytes);
            if (n == null || n.isMissingNode() || n.isNull()) {
                throw new InvalidFileException(file, "", "the file is empty; expected a YAML mapping.");
            }
            return n;
        } catch (JacksonException e) {
            var loc = e.getLocation();
            String place = loc == null ? "" : "line " + loc.getLineNr() + ", column " + loc.getColumnNr();
            throw new InvalidFileException(file, place, "not valid YAML: " + StrictJson.reason(e));
        }
    }
}
