// Finding the generation prompt a chat template leaves after the last turn of a training
// render. Some real templates append the assistant header whatever add_generation_prompt
// says (the original Llama 3 8B Instruct template does, and transformers renders it the
// same), so every training text would end with an empty assistant turn.
#pragma once

#include <string>

#include "tunepack/template/chat_template.h"

namespace tunepack::format::internal {

// Returns the text `chat` appends after a conversation's last assistant turn that opens a
// new assistant turn (e.g. "<|start_header_id|>assistant<|end_header_id|>\n\n"), or "" when
// it appends none or the probes cannot tell (a template that refuses them).
//
// How: three probe conversations, user U / user U + assistant V / U + V + user W, rendered
// for training. After V, the U+V render ends with the assistant's end-of-turn marker and,
// for such templates, an assistant opener; the U+V+W render has the same marker followed by
// the user opener, which the U render shows before U. The opener left after V is what
// follows the shortest marker for which that holds and that cuts no special token
// ("<|...|>", "[...]") in two.
std::string DanglingGenerationPrompt(const jinja::ChatTemplate& chat);

}  // namespace tunepack::format::internal
