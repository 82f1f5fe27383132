// The built-in formats, one per file (<name>_format.cc). registry.cc registers them; adding
// a format is one new file and one line there.
#pragma once

#include "tunepack/format/format.h"

namespace tunepack::format::internal {

Format OpenAiFormat();
Format ShareGptFormat();
Format AlpacaFormat();
Format ChatMlFormat();
Format JsonlFormat();
Format TextFormat();
Format MarkdownFormat();
Format ChatTemplateFormat();
// Preference data (DPO, ORPO, KTO).
Format OpenAiDpoFormat();
Format TrlPreferenceFormat();
Format TrlPreferenceImplicitFormat();
Format TrlPreferenceTextFormat();
Format TrlKtoFormat();
Format TrlKtoTextFormat();
Format AlpacaPreferenceFormat();
Format ShareGptPreferenceFormat();
Format AnthropicHhFormat();
// Service and trainer shapes (targets, tunepack/format/target.h).
Format BedrockClaudeFormat();
Format BedrockNovaFormat();
Format VertexGeminiFormat();
Format AxolotlInputOutputFormat();
Format PromptCompletionFormat();

}  // namespace tunepack::format::internal
