package dev.nnkit.verification;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** nn-bom manages every published artifact, and nothing else: no scopes, no third-party versions. */
@DisplayName("nn-bom")
class BomTest {
    static final List<String> PUBLISHED = List.of("nn-api", "nn-core", "nn-inject", "nn-losses", "nn-optimizers", "nn-io", "nn-onnx", "nn-cli", "nn-tck",
            "nn-spark");
    /**
     * Published for the class path only: Spark's jars have no module names a module-info could
     * require, so nn-spark names itself in its manifest instead.
     */
    static final List<String> CLASS_PATH_ONLY = List.of("nn-spark");

    @Test
    @DisplayName("lists exactly the published nnkit artifacts, without scopes")
    void listsPublishedArtifacts() throws Exception {
        Path root = Path.of("").toAbsolutePath().getParent();
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        Document bom = f.newDocumentBuilder().parse(root.resolve("nn-bom/pom.xml").toFile());
        NodeList deps = bom.getElementsByTagName("dependency");
        List<String> artifacts = new ArrayList<>();
        for (int i = 0; i < deps.getLength(); i++) {
            Element d = (Element) deps.item(i);
            assertThat(text(d, "groupId")).isEqualTo("dev.nnkit");
            assertThat(d.getElementsByTagName("scope").getLength()).as("scope of %s", text(d, "artifactId")).isZero();
            artifacts.add(text(d, "artifactId"));
        }
        assertThat(artifacts).containsExactlyInAnyOrderElementsOf(PUBLISHED);
        assertThat(bom.getElementsByTagName("parent").getLength()).as("a parent would leak its versions").isZero();
        for (String module : PUBLISHED) {
            assertThat(Files.exists(root.resolve(module).resolve("src/main/java/module-info.java")))
                    .as("%s has a module-info.java", module).isEqualTo(!CLASS_PATH_ONLY.contains(module));
        }
        for (String module : CLASS_PATH_ONLY) {
            assertThat(Files.readString(root.resolve(module).resolve("pom.xml")))
                    .as("%s names its automatic module", module).contains("<Automatic-Module-Name>");
        }
    }

    @Test
    @DisplayName("the parent and the BOM carry what Maven Central asks (licence, url, scm, developers); unpublished modules are never installed or deployed")
    void publishable() throws Exception {
        Path root = Path.of("").toAbsolutePath().getParent();
        for (String pom : List.of("pom.xml", "nn-bom/pom.xml")) {
            Element project = read(root.resolve(pom)).getDocumentElement();
            for (String tag : List.of("name", "description", "url")) {
                assertThat(child(project, tag)).as("%s <%s>", pom, tag).isNotBlank();
            }
            assertThat(project.getElementsByTagName("license").getLength()).as(pom).isOne();
            assertThat(text((Element) project.getElementsByTagName("license").item(0), "name")).isEqualTo("Apache-2.0");
            assertThat(text((Element) project.getElementsByTagName("scm").item(0), "url")).as(pom).isEqualTo(child(project, "url"));
            assertThat(project.getElementsByTagName("developer").getLength()).as(pom).isPositive();
        }
        assertThat(Files.readString(root.resolve("LICENSE"))).contains("Apache License", "Version 2.0, January 2004");
        assertThat(root.resolve("NOTICE")).exists();
        for (String unpublished : List.of("nn-verification", "nn-bench", "nn-dist")) {
            Element project = read(root.resolve(unpublished).resolve("pom.xml")).getDocumentElement();
            for (String skip : List.of("maven.install.skip", "maven.deploy.skip", "maven.source.skip", "maven.javadoc.skip")) {
                assertThat(project.getElementsByTagName(skip).item(0).getTextContent().trim()).as("%s %s", unpublished, skip)
                        .isEqualTo("true");
            }
        }
    }

    private static Document read(Path pom) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        return f.newDocumentBuilder().parse(pom.toFile());
    }

    /** The text of a direct child element (not one nested deeper, as a developer's url). */
    private static String child(Element e, String tag) {
        for (org.w3c.dom.Node n = e.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element c && c.getTagName().equals(tag)) {
                return c.getTextContent().trim();
            }
        }
        return "";
    }

    private static String text(Element e, String tag) {
        return e.getElementsByTagName(tag).item(0).getTextContent().trim();
    }
}
