package io.coordinate.cli;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import io.coordinate.api.Namespace;
import io.coordinate.api.WorkSpec;
import io.coordinate.api.WorkSpecDefinition;
import io.coordinate.api.data.JsonData;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code coordinate add-spec FILE}: creates work specs from YAML or JSON definitions, or replaces
 * those of the same names. A file may hold one definition, a list of them, or several YAML
 * documents; all are read and checked before the first is sent.
 */
@Command(
    name = "add-spec",
    description = {
      "Creates or replaces work specs from YAML or JSON definitions.",
      "Creates a work spec from a definition in YAML or JSON (a map with at least \"name\"), or"
          + " replaces the definition of the spec of that name, which resets its paused flag,"
          + " priority, weight and limits to the definition's. A file may hold a list of"
          + " definitions or several YAML documents.",
      "Creates the namespace if it does not exist."
    })
final class AddSpecCommand extends DaemonCommand {

  @Parameters(paramLabel = "FILE|-", description = "the definition file; - reads standard input")
  String file;

  record Added(String name, boolean created) {}

  record AddedList(String namespace, List<Added> workSpecs) {}

  @Override
  int run(Session session) {
    List<Map<String, Object>> definitions = read();
    for (Map<String, Object> definition : definitions) {
      WorkSpecDefinition.parse(definition); // all checked before the first is sent
    }
    Namespace ns = session.namespace();
    Set<String> existing = new HashSet<>(ns.workSpecNames());
    List<Added> added = new ArrayList<>();
    for (Map<String, Object> definition : definitions) {
      WorkSpec spec = ns.setWorkSpec(definition);
      added.add(new Added(spec.name(), !existing.contains(spec.name())));
      existing.add(spec.name());
    }
    if (json()) {
      Json.printDocument(out(), new AddedList(session.target().namespace(), added));
      return ExitCodes.OK;
    }
    for (Added a : added) {
      out().println(a.created()
          ? "created work spec " + a.name()
          : "replaced the definition of work spec " + a.name()
              + " (paused, priority, weight and limits are the definition's again)");
    }
    return ExitCodes.OK;
  }

  private List<Map<String, Object>> read() {
    List<Map<String, Object>> out = new ArrayList<>();
    try (Input in = Input.open(file, env());
        JsonParser parser = Json.YAML.createParser(in);
        MappingIterator<JsonNode> documents = Json.YAML.readValues(parser, JsonNode.class)) {
      int document = 0;
      while (documents.hasNextValue()) {
        JsonNode node = documents.nextValue();
        document++;
        if (node == null || node.isNull() || node.isMissingNode()) {
          continue; // an empty YAML document, e.g. after a trailing ---
        }
        if (node.isArray()) {
          for (int i = 0; i < node.size(); i++) {
            out.add(definition(node.get(i), "item " + (i + 1) + " of document " + document));
          }
        } else {
          out.add(definition(node, "document " + document));
        }
      }
    } catch (IOException | RuntimeException e) {
      if (e instanceof CliFailure f) {
        throw f;
      }
      throw CliFailure.failed("cannot read a work spec definition from "
          + (file.equals("-") ? "standard input" : file) + ": " + message(e), e);
    }
    if (out.isEmpty()) {
      throw CliFailure.failed("no work spec definition in " + file);
    }
    return out;
  }

  private static Map<String, Object> definition(JsonNode node, String where) {
    if (!node.isObject()) {
      throw new IllegalArgumentException(where + " is not a map");
    }
    return JsonData.fromJson(node, "definition");
  }

  private static String message(Exception e) {
    Throwable t = e;
    if (t instanceof com.fasterxml.jackson.core.JsonProcessingException j) {
      return j.getOriginalMessage()
          + (j.getLocation() == null ? "" : " (line " + j.getLocation().getLineNr() + ")");
    }
    return String.valueOf(t.getMessage());
  }
}
