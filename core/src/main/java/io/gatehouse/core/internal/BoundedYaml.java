package io.gatehouse.core.internal;

import io.gatehouse.core.ConfigurationException;
import java.util.ArrayList;
import java.util.List;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.events.Event;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.parser.Parser;
import org.snakeyaml.engine.v2.parser.ParserImpl;
import org.snakeyaml.engine.v2.scanner.StreamReader;

/**
 * YAML parsing with limits, for every file Gatehouse reads: at most 1 MiB of text, 20 aliases to
 * collections (no "billion laughs"), 64 levels of nesting (the composer recurses, so depth would otherwise
 * be a stack overflow), no duplicate or recursive keys. Plain YAML 1.2 core types only; no object tags.
 */
public final class BoundedYaml {

    /** The most code points a file may hold. */
    public static final int MAX_CODE_POINTS = 1 << 20;
    /** The deepest nesting of maps and lists. */
    public static final int MAX_DEPTH = 64;

    private BoundedYaml() {
    }

    /**
     * Parses one document.
     *
     * @param source names the input in errors
     * @return the document (maps, lists, strings, numbers, booleans), or null for an empty document
     * @throws ConfigurationException if the text is not valid YAML or exceeds a limit
     */
    public static Object load(String text, String source) {
        List<Object> docs = loadAll(text, source);
        if (docs.size() > 1) {
            throw new ConfigurationException(source, "holds " + docs.size() + " YAML documents; expected one");
        }
        return docs.isEmpty() ? null : docs.get(0);
    }

    /**
     * Parses every document of a multi-document stream ({@code ---} separated); empty documents are
     * dropped.
     *
     * @throws ConfigurationException if the text is not valid YAML or exceeds a limit
     */
    public static List<Object> loadAll(String text, String source) {
        if (text.codePointCount(0, text.length()) > MAX_CODE_POINTS) {
            throw new ConfigurationException(source, "larger than " + MAX_CODE_POINTS + " characters");
        }
        LoadSettings settings = LoadSettings.builder()
                .setLabel(source)
                .setAllowDuplicateKeys(false)
                .setAllowRecursiveKeys(false)
                .setMaxAliasesForCollections(20)
                .setCodePointLimit(MAX_CODE_POINTS)
                .build();
        try {
            checkDepth(new ParserImpl(settings, new StreamReader(settings, text)), source);
            List<Object> docs = new ArrayList<>();
            for (Object doc : new Load(settings).loadAllFromString(text)) {
                if (doc != null) {
                    docs.add(doc);
                }
            }
            return docs;
        } catch (YamlEngineException e) {
            throw new ConfigurationException(source, null, null, "not valid YAML: " + firstLine(e.getMessage()), null);
        } catch (StackOverflowError e) {
            throw new ConfigurationException(source, "nested too deeply");
        }
    }

    private static void checkDepth(Parser events, String source) {
        int depth = 0;
        while (events.hasNext()) {
            Event e = events.next();
            switch (e.getEventId()) {
                case MappingStart, SequenceStart -> {
                    if (++depth > MAX_DEPTH) {
                        throw new ConfigurationException(source, "nested deeper than " + MAX_DEPTH + " levels");
                    }
                }
                case MappingEnd, SequenceEnd -> depth--;
                default -> {
                }
            }
        }
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
