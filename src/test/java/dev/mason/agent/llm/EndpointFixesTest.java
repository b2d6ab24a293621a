package dev.mason.agent.llm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mason.web.Json;
import org.junit.jupiter.api.Test;

/** The gateway's request fixes: the rules of Mason's own clients, applied to wire JSON. */
class EndpointFixesTest {
  private static ObjectNode json(String text) throws Exception {
    return (ObjectNode) Json.MAPPER.readTree(text.replace('\'', '"'));
  }

  @Test
  void anthropicEmptyTextAndOrphanedResultsGoUnansweredCallsGetAResultAndCacheMarksStay() throws Exception {
    ObjectNode body = json("""
        {'model':'m','messages':[
          {'role':'user','content':[{'type':'tool_result','tool_use_id':'ghost','content':'x'},{'type':'text','text':'hi'}]},
          {'role':'assistant','content':[{'type':'text','text':''},{'type':'tool_use','id':'t1','name':'Read','input':{}}]},
          {'role':'user','content':[{'type':'text','text':'go on','cache_control':{'type':'ephemeral'}}]},
          {'role':'assistant','content':'  '},
          {'role':'user','content':'last'}],
         'tools':[{'name':'Read','input_schema':{'$schema':'x','type':'object','properties':{'p':{'type':['string','null'],'format':'uri'}},'additionalProperties':false}}]}
        """);
    EndpointFixes.anthropicMessages(body);
    assertThat(body.toString()).isEqualTo(json("""
        {'model':'m','messages':[
          {'role':'user','content':[{'type':'text','text':'hi'}]},
          {'role':'assistant','content':[{'type':'tool_use','id':'t1','name':'Read','input':{}}]},
          {'role':'user','content':[{'type':'tool_result','tool_use_id':'t1','content':'No result: the tool call was interrupted before it finished.','is_error':true},
            {'type':'text','text':'go on','cache_control':{'type':'ephemeral'}},{'type':'text','text':'last'}]}],
         'tools':[{'name':'Read','input_schema':{'type':'object','properties':{'p':{'type':'string'}}}}]}
        """).toString());
  }

  @Test
  void aCleanAnthropicRequestIsLeftAsItWas() throws Exception {
    String clean = "{'model':'m','messages':[{'role':'user','content':'hi'},{'role':'assistant','content':[{'type':'text','text':'yo'}]},"
        + "{'role':'user','content':[{'type':'text','text':'more'}]}]}";
    ObjectNode body = json(clean);
    EndpointFixes.anthropicMessages(body);
    assertThat(body).isEqualTo(json(clean));
  }

  @Test
  void openAiChatDropsEmptyMessagesAndToolMessagesThatAnswerNothing() throws Exception {
    ObjectNode body = json("""
        {'messages':[{'role':'system','content':''},{'role':'tool','tool_call_id':'ghost','content':'x'},{'role':'user','content':'hi'},
          {'role':'assistant','content':null,'tool_calls':[{'id':'c1','type':'function','function':{'name':'f','arguments':'{}'}}]},
          {'role':'tool','tool_call_id':'c1','content':'ok'},{'role':'tool','tool_call_id':'c1','content':'again'}]}
        """);
    EndpointFixes.openAiChat(body);
    assertThat(body.path("messages")).hasSize(3);
    assertThat(body.path("messages").get(2).path("content").asText()).isEqualTo("ok");
  }

  @Test
  void aStopAfterToolCallsIsReportedAsToolCalls() {
    assertThat(EndpointFixes.openAiFinishReason("stop", true)).isEqualTo("tool_calls");
    assertThat(EndpointFixes.openAiFinishReason("stop", false)).isEqualTo("stop");
    assertThat(EndpointFixes.openAiFinishReason("length", true)).isEqualTo("length");
  }

  @Test
  void geminiEmptyPartsAndSchemasAreFixed() throws Exception {
    ObjectNode body = json("""
        {'contents':[{'role':'user','parts':[{'text':''}]},{'role':'user','parts':[{'text':'hi'},{'text':' '}]}],
         'tools':[{'functionDeclarations':[{'name':'f','parametersJsonSchema':{'$schema':'x','type':'object','properties':{}}}]}]}
        """);
    EndpointFixes.gemini(body);
    assertThat(body.path("contents")).hasSize(1);
    assertThat(body.path("contents").get(0).path("parts")).hasSize(1);
    assertThat(body.path("tools").get(0).path("functionDeclarations").get(0).path("parametersJsonSchema").has("$schema")).isFalse();
  }
}
