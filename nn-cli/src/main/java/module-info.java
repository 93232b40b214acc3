/**
 * The {@code nn} command line: the only module that prints, and the only one with a logging
 * backend (System.Logger records from the libraries reach slf4j-simple on stderr). Picocli reads
 * the command classes reflectively.
 */
module dev.nnkit.cli {
    requires dev.nnkit.io;
    requires dev.nnkit.onnx;
    requires dev.nnkit.inject;
    requires info.picocli;
    requires org.knowm.xchart;
    requires java.desktop;
    requires tools.jackson.databind;
    requires tools.jackson.dataformat.yaml; // YAML configs (optional in nn-io)
    requires de.siegmar.fastcsv;
    requires org.slf4j;

    opens dev.nnkit.cli to info.picocli;
}
