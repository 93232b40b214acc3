package dev.nnkit.verification;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/** The built nnkit modules (jars or class directories) on this test's class path. */
final class ModulePaths {
    private ModulePaths() {
    }

    static List<Path> classPath() {
        return Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .map(Path::of).filter(Files::exists).toList();
    }

    /** Class-path entries that hold an nnkit module descriptor. */
    static List<Path> nnkitModules() {
        return classPath().stream()
                .filter(p -> p.toString().matches(".*nn-(api|core|inject|losses|optimizers|io|onnx|cli|tck).*"))
                .filter(p -> !p.toString().contains("test-classes"))
                .toList();
    }

    /** The module path of the nn command: nnkit's modules and the libraries they require. */
    static List<Path> cliModulePath() {
        List<Path> paths = new java.util.ArrayList<>(nnkitModules());
        classPath().stream()
                .filter(p -> p.getFileName().toString().matches(
                        "(commons-rng|commons-numbers|guice|guava|failureaccess|jakarta.inject|aopalliance|jackson|fastcsv|picocli|slf4j|xchart|snakeyaml|protobuf-java).*\\.jar"))
                .forEach(paths::add);
        return paths;
    }
}
