/**
 * nnkit's files: training configs (JSON, read with Jackson 3), datasets (CSV with FastCSV, IDX),
 * normalizers. Jackson is confined to this module and the CLI.
 */
module dev.nnkit.io {
    requires transitive dev.nnkit.core;
    requires tools.jackson.databind;
    requires tools.jackson.core;
    // Optional: YAML configs only (StrictYaml); an application that only predicts leaves it out.
    requires static tools.jackson.dataformat.yaml;
    requires de.siegmar.fastcsv;

    exports dev.nnkit.io;
    exports dev.nnkit.io.checkpoint;
    exports dev.nnkit.io.config;
    exports dev.nnkit.io.csv;
    exports dev.nnkit.io.data;
    exports dev.nnkit.io.idx;
    exports dev.nnkit.io.files;
    exports dev.nnkit.io.json;
    exports dev.nnkit.io.model;
    exports dev.nnkit.io.safetensors;
}
