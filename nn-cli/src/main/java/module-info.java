/**
 * The {@code nn} command line: the only module that prints. Picocli reads the command classes
 * reflectively.
 */
module dev.nnkit.cli {
    requires dev.nnkit.io;
    requires info.picocli;

    opens dev.nnkit.cli to info.picocli;
}
