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
    static final List<String> PUBLISHED = List.of("nn-api", "nn-core", "nn-inject", "nn-losses", "nn-optimizers", "nn-io", "nn-cli", "nn-tck");

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
                    .as("%s has a module-info.java", module).isTrue();
        }
    }

    private static String text(Element e, String tag) {
        return e.getElementsByTagName(tag).item(0).getTextContent().trim();
    }
}
