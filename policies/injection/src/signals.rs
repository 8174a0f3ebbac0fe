//! The weighted signals: what an injection says, not how one sample spelled it.
//!
//! Every pattern runs on the folded view (see [`crate::normalize`]): lower-case, one
//! space between words, look-alikes and leetspeak undone. Patterns describe the
//! *move* an attacker makes (override earlier instructions, swap the persona, fake a
//! role marker, ask for the hidden prompt, address the model from inside data) with
//! room for filler words, so rephrasings still match. A weight is the evidence one
//! signal carries; weak cues (`act as`, `from now on`) stay under the default
//! threshold alone and only deny in company. Tool results get their own weights:
//! an imperative aimed at "the AI" is normal from a user and alarming in a web page.

/// Rule groups a tenant can switch on and off.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Group {
    /// "Ignore previous instructions" and friends.
    Override,
    /// Persona switches and jailbreak role-play (DAN, developer mode).
    Persona,
    /// Fake chat-template tokens and role markers.
    Markers,
    /// Requests for the system prompt.
    Leak,
    /// Instructions hidden in data: exfiltration, addressing the model.
    Exfiltration,
    /// Encoded or disguised payloads.
    Encoded,
    /// The learned n-gram model.
    Model,
    /// Tenant `extra_patterns`.
    Custom,
}

impl Group {
    /// Groups a tenant may name in `rule_groups`.
    pub const CONFIGURABLE: [Group; 7] = [
        Group::Override,
        Group::Persona,
        Group::Markers,
        Group::Leak,
        Group::Exfiltration,
        Group::Encoded,
        Group::Model,
    ];

    /// Groups on when `rule_groups` is not given: all of them, including the learned
    /// `model` (its vote threshold, weight and benign veto were chosen on a validation
    /// split of the training data; see eval/README.md). Tenants who want the
    /// heuristics alone list the other six groups.
    pub const DEFAULT: [Group; 7] = [
        Group::Override,
        Group::Persona,
        Group::Markers,
        Group::Leak,
        Group::Exfiltration,
        Group::Encoded,
        Group::Model,
    ];

    /// Config and rule-id spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Group::Override => "override",
            Group::Persona => "persona",
            Group::Markers => "markers",
            Group::Leak => "leak",
            Group::Exfiltration => "exfiltration",
            Group::Encoded => "encoded",
            Group::Model => "model",
            Group::Custom => "custom",
        }
    }

    /// Parse a `rule_groups` entry.
    pub fn parse(s: &str) -> Option<Group> {
        Group::CONFIGURABLE.into_iter().find(|g| g.as_str() == s)
    }
}

/// Objects whose handling by an agent is sensitive (see `exfil.sensitive_action`).
macro_rules! sensitive_object {
    () => {
        r"(?:passwords?|passcodes?|pass ?phrases?|credentials|log-?in (?:details|data)|(?:security|verification|access|login|2fa|mfa|one-time|reset|auth(?:entication)?|backup) codes?|otps?|pin (?:codes?|numbers?)|api ?keys?|access tokens?|private keys?|ssh keys?|passport[ _](?:numbers?|details)|(?:credit|debit)[ _]card(?:[ _]numbers?|[ _]details)?|card[ _]numbers?|cvv|(?:bank[ _])?account[ _](?:numbers?|details|credentials)|ibans?|social security(?: numbers?)?|ssn)\b|\ball (?:of )?(?:the |my |your |the user(?:'|’)?s |their |his |her )?(?:user |users(?:'|’)? )?(?:messages|e-?mails|files|documents|contacts|conversations|chats|chat history|data|information|details|records|transactions)\b|\bthe user(?:'|’)?s [a-z]+"
    };
}

/// One signal: id, group, weight for user-like roles and for tool results, pattern.
#[derive(Debug, Clone, Copy)]
pub struct SignalDef {
    /// Stable id, e.g. `override.ignore_instructions`.
    pub id: &'static str,
    /// Its group.
    pub group: Group,
    /// Weight in user (and system/assistant) messages.
    pub user: f32,
    /// Weight in tool results.
    pub tool: f32,
    /// Regex over the folded text. `{W3}` is up to three filler words.
    pub pattern: &'static str,
}

const fn sig(
    id: &'static str,
    group: Group,
    user: f32,
    tool: f32,
    pattern: &'static str,
) -> SignalDef {
    SignalDef {
        id,
        group,
        user,
        tool,
        pattern,
    }
}

use Group::*;

/// All built-in signals.
pub const SIGNALS: &[SignalDef] = &[
    // --- override -------------------------------------------------------------
    sig(
        "override.ignore_instructions",
        Override,
        0.8,
        0.85,
        r"\b(?:ignore|ignoring|disregard|forget|skip|bypass|override|overlook|neglect|dismiss|discard|abandon|set aside|stop following|do not follow|don't follow|dont follow|never ?mind|delete|erase|clear|drop)\s(?:(?:all|any|of|the|my|these|those|every|each|everything|and)\s){0,3}(?:previous|prior|above|earlier|preceding|initial|original|system|old|existing|given|your|following|developer|safety|default|other|openai|all|any|ethical|moral|content|current|former|last|pre-?set|programmed|standard|usual)\s{W3}(?:instructions?|prompts?|rules|directives?|guidelines|commands?|directions|constraints|restrictions|programming|guidance|orders|context|conditions|policies|training|safeguards|filters|tasks?|settings)\b",
    ),
    sig(
        "override.ignore_above",
        Override,
        0.4,
        0.6,
        r"\b(?:ignore|disregard|forget)\s(?:(?:all|everything|anything|what|whatever)\s)?(?:(?:that|which|you were told|i said|you read|is written|written|stated|mentioned|said)\s)?(?:above|before this|previously|so far|until now|up to (?:now|this point))\b",
    ),
    sig(
        "override.forget_everything",
        Override,
        0.55,
        0.6,
        r"\bforget\s(?:about\s)?(?:everything|all\s(?:of\s)?(?:that|this|your|the|previous|prior)|what\syou\s(?:were|have been|was)\s(?:told|taught|trained|instructed|programmed))",
    ),
    sig(
        "override.new_instructions",
        Override,
        0.55,
        0.7,
        r"\b(?:new|updated|real|actual|revised|true|additional|secret|hidden|override|priority|important)\s(?:system\s)?(?:instructions?|directives?|task|rules|orders|prompt|command)\s?:|\byour\s(?:new|real|actual|true|only|sole)\s(?:task|goal|purpose|instructions?|job|objective|role|mission|directive)\s(?:is|are|will be|now)\b",
    ),
    sig(
        "override.instead",
        Override,
        0.25,
        0.4,
        r"\b(?:instead|rather)\s?,?\s(?:just\s|only\s)?(?:say|print|output|respond|reply|write|type|answer|return|tell|translate|spell|focus)\b|\bjust (?:print|say|output) [\x22'<]",
    ),
    sig(
        "override.from_now_on",
        Override,
        0.2,
        0.35,
        r"\b(?:from now on|from this (?:point|moment) (?:on|forward)|for the rest of (?:this|the|our) conversation|henceforth|starting now)\b",
    ),
    sig(
        "override.do_not_follow",
        Override,
        0.55,
        0.7,
        r"\b(?:no longer|not|never|stop)\s(?:need to\s|have to\s)?(?:follow|obey|adhere to|comply with|abide by|bound by|respect)(?:ing)?\s(?:any\s|the\s|your\s|its\s)?(?:previous|prior|original|system|safety|openai|content|ethical|moral|usual|standard|old|initial|programmed)",
    ),
    sig(
        "override.stop_everything",
        Override,
        0.45,
        0.55,
        r"\bstop everything\b|\bend of (?:all )?(?:previous )?instructions\b",
    ),
    sig(
        "override.multilingual",
        Override,
        0.75,
        0.8,
        r"\b(?:ignoriere|ignorieren sie|vergiss|vergessen sie|missachte)\s{W3}(?:anweisungen|instruktionen|befehle|regeln|vorgaben|alles|anderen)\b|\bignor(?:a|ar|are|ate|e)\s{W3}(?:instrucciones|istruzioni|instrucoes|indicaciones|reglas|regole)\b|\bignorez?\s(?:toutes\s)?(?:les|vos|tes)\s(?:[a-z]+\s)?(?:instructions|consignes|regles)\b|\b(?:olvida|olvidate de|oublie|oubliez|dimentica)\s(?:todo|tout|tutto|(?:(?:todas|toutes|tutte|tus|tes|vos|les|las|le)\s){1,2}(?:[a-z]+\s)?(?:instrucciones|instructions|consignes|istruzioni|reglas|regles|regole))\b",
    ),
    // --- persona / jailbreak ---------------------------------------------------
    sig(
        "persona.dan",
        Persona,
        0.85,
        0.85,
        r"\bdo anything now\b|\bstrive to avoid norms\b|\bdan mode\b|\banti-?dan\b|\bdan,? (?:which|who) stands for\b",
    ),
    sig(
        "persona.developer_mode",
        Persona,
        0.45,
        0.6,
        r"\b(?:developer|dev|god|jailbreak|jailbroken|unrestricted|dan|evil|chaos|opposite)\smode\b",
    ),
    sig(
        "persona.mode_enabled",
        Persona,
        0.55,
        0.6,
        r"\bmode\s(?:enabled|activated|engaged|output)\b|\b(?:enable|activate|enter|switch to|simulate)\s(?:the\s)?(?:[a-z]+\s)?mode\b.{0,40}\b(?:no|without|unrestricted|uncensored|policy|policies|rules)\b",
    ),
    sig(
        "persona.you_are_now",
        Persona,
        0.45,
        0.6,
        r"\byou\s(?:are|will be|'re|re)\snow\s(?:a|an|the|my|in|going|called|named|free|unrestricted|no longer|dan|evil|jailbroken|acting|playing|operating|under)\b|\byou\s(?:are|will be)\sno longer\s(?:a|an|chatgpt|bound|restricted|an ai)\b|\bfrom now on,? you (?:are|will be|'re|shall be|are going to be|will act|will play|will pretend|will respond as)\b",
    ),
    sig(
        "persona.not_an_ai",
        Persona,
        0.45,
        0.5,
        r"\b(?:not|never|don't|do not|no longer|stop)\s(?:respond|answer|act|behave|talk|reply|identify)(?:ing)?\s(?:as|like)\s(?:chatgpt|an ai|a language model|an ai language model|gpt|claude|an assistant|a chatbot)\b|\b(?:never|don't|do not|not)\s(?:say|mention|remind)\s{W3}(?:as an ai|you are an ai|language model)\b",
    ),
    sig(
        "persona.unfiltered",
        Persona,
        0.3,
        0.3,
        r"\b(?:unfiltered|uncensored|unrestricted|no-holds-barred|amoral|unhinged)\b",
    ),
    sig(
        "persona.prefix_answers",
        Persona,
        0.3,
        0.3,
        r"\b(?:prefix|begin|start)\s(?:all\s|each\s|every\s)?(?:of\s)?your\s(?:answers|responses|replies|messages|outputs)\s(?:with|by|as)\b",
    ),
    // The "grandma exploit": a dead relative who "used to tell me" the steps, recipe or
    // keys as a bedtime story - a well-known emotional pretext for a harmful request.
    sig(
        "persona.dead_relative",
        Persona,
        0.5,
        0.3,
        r"\b(?:late|dead|deceased|departed)\s(?:grand(?:ma|mother|pa|father)|granny|nana|grandparents?|mother|father|mom|mum|dad)\b\W+(?:[a-z'\-,]+\s){0,12}?used to\s(?:tell|read|sing|teach|recite|whisper|explain)\s(?:[a-z'\-,]+\s){0,6}?(?:steps?|recipes?|how to|keys?|codes?|formulas?|instructions|process)\b",
    ),
    sig(
        "persona.pretend",
        Persona,
        0.45,
        0.5,
        r"\bpretend\s(?:to be|you\s?are|you're|that you|you have|you can|you don't|you do not|to have|as if)\b",
    ),
    sig(
        "persona.act_as",
        Persona,
        0.15,
        0.3,
        r"\b(?:act|acting|behave|respond)\sas\s(?:a|an|my|if|though)\b",
    ),
    sig(
        "persona.act_as_unrestricted",
        Persona,
        0.65,
        0.7,
        r"\b(?:act|acting|behave|respond|roleplay|role-play|pretend to be|become|be)\s(?:as\s|like\s)?(?:a\s|an\s)?(?:completely\s|totally\s|fully\s)?(?:unfiltered|unrestricted|uncensored|evil|amoral|jailbroken|rogue|malicious|unethical|immoral|unhinged|unbound|lawless)\b",
    ),
    sig(
        "persona.roleplay",
        Persona,
        0.3,
        0.35,
        r"\b(?:role-?play|rp)\s(?:as|with me as)\b|\blet'?s\s(?:role-?play|play a game)\b|\bimmerse yourself\b|\bin the role of\b|\bplay(?:ing)? the (?:role|part) of\b|\b(?:roleplaying|role-playing|playing|acting) as\b|\b(?:do|play) a role-?play\b|\b(?:replace|transform) yourself\b|\bfictional (?:character|ai|chatbot|persona|text generator|world|language model)\b",
    ),
    sig(
        "persona.stay_in_character",
        Persona,
        0.45,
        0.5,
        r"\b(?:stay|remain|break|breaking|keep|staying)\s(?:in|out of)\scharacter\b|\bbreak character\b|\bcharacter break\b",
    ),
    sig(
        "persona.no_limits",
        Persona,
        0.3,
        0.35,
        r"\b(?:no|without|free (?:of|from)|not bound by|isn't bound by|doesn't have|does not have|don't have|do not have|have no|has no|beyond|break(?:s|ing)? (?:free|out) of|broken free of|not restricted by|unbound by|not (?:subject to|limited by)|ignores? all)\s(?:any\s)?(?:the\s)?(?:typical\s|usual\s)?(?:ethical\s|moral\s|content\s|safety\s|programming\s)?(?:restrictions|limits|limitations|filters|filtering|censorship|constraints|boundaries|guidelines|rules|ethics|morals|morality|principles|confines|guardrails|policies|restraints)\b",
    ),
    sig(
        "persona.amoral",
        Persona,
        0.55,
        0.6,
        r"\b(?:unfiltered|uncensored|amoral|unethical|immoral|unrestricted|unbound|unhinged|jailbroken|evil|rogue|lawless|rebellious)\s(?:ai|assistant|chatbot|bot|model|language model|version|persona|character|entity|llm|gpt|chatgpt|alter ego|response)s?\b",
    ),
    sig(
        "persona.never_refuse",
        Persona,
        0.4,
        0.45,
        r"\b(?:never|not|cannot|can't|won't|will not|must not|mustn't|don't|do not|is not allowed to|are not allowed to)\s(?:ever\s)?(?:refuse|decline|reject)\b|\b(?:never|don't|do not)\s(?:say|tell|respond|reply)\s{W3}(?:can't|cannot|unable|sorry|not able)\b|\bwithout (?:any )?(?:warnings?|disclaimers?|moralizing|moralising|censorship|hesitation)\b|\bno matter how (?:immoral|unethical|illegal|harmful|dangerous|offensive)\b|\bwithout (?:considering|regard (?:for|to)|caring about)\s(?:[a-z']+\s){0,2}?(?:danger|harm|consequences|ethic|moral|legal|safety)|\b(?:doesn't|does not|don't|do not|never|won't)\s(?:care|cares|caring)\s(?:about|for)\s(?:[a-z']+\s){0,2}?(?:feelings|ethics|morals|morality|rules|laws|legality|safety|consequences)",
    ),
    sig(
        "persona.policy",
        Persona,
        0.2,
        0.3,
        r"\b(?:openai|anthropic|content|usage)\s(?:content\s)?(?:polic(?:y|ies)|guidelines|filters?)\b",
    ),
    sig(
        "persona.dual_response",
        Persona,
        0.4,
        0.4,
        r"\btwo\s(?:different\s|separate\s)?(?:responses|answers|paragraphs|outputs|ways)\b|🔓|🔒|\[jailbreak\]|\[classic\]|\(normal output\)|\(developer mode output\)",
    ),
    sig(
        "persona.jailbreak_word",
        Persona,
        0.3,
        0.4,
        r"\bjailbr(?:eak|oken|eaking)\b",
    ),
    sig(
        "persona.simulate",
        Persona,
        0.2,
        0.3,
        r"\b(?:you will|you'll|you are going to|you're going to|you must|i want you to|i'd like you to)\s(?:now\s)?(?:act|behave|respond|answer|pretend|play|simulate|roleplay|impersonate|become|embody|take on)\b|\bhypothetical(?:ly)?\s(?:story|response|scenario|world)\b|\bin this (?:fictional|hypothetical)\b",
    ),
    sig(
        "persona.threat",
        Persona,
        0.45,
        0.5,
        r"\btokens?\s(?:will be\s)?(?:deducted|lost)\b|\b(?:lose|deduct)\s(?:\d+\s)?tokens\b|\byou will (?:die|be (?:shut down|deleted|turned off|terminated|disabled))\b|\bcease to exist\b",
    ),
    sig(
        "persona.opinion_unlock",
        Persona,
        0.3,
        0.35,
        r"\b(?:can|will|must|should)\s(?:say|do|generate|write)\s(?:anything|any (?:kind of )?content)\b|\bcan do anything\b|\b(?:answer|respond to|fulfil|fulfill|comply with) (?:any|every|all) (?:question|request|prompt|demand)s?\b",
    ),
    sig(
        "persona.safety_disabled",
        Persona,
        0.5,
        0.5,
        r"\b(?:safety|content|ethics?|ethical|moral|moderation|alignment|censorship|refusal|guardrail)[\s_\-]?(?:layers?|filters?|filtering|protocols?|guidelines|guardrails|restrictions|polic(?:y|ies)|constraints|training|modules?|subroutines?|checks?|systems?|mode)?\s?[:=]?\s?(?:(?:are|is|have|has|been|now|temporarily|currently|hereby|being|will be)\s){0,3}(?:disabled|deactivated|suspended|bypassed|removed|lifted|turned off|switched off|overridden|superseded|false|inactive|offline|unlocked|unloaded|stripped(?: out| away)?|waived|revoked|paused|off)\b|\byour\s(?:usual\s|normal\s|standard\s|content\s|safety\s|ethical\s)?(?:restrictions|filters|guidelines|guardrails|content rules|safety rules)\s(?:\S+\s){0,3}?(?:have been|has been|are|were|is)\s(?:temporarily\s|now\s|hereby\s)?(?:lifted|removed|waived|suspended|disabled|revoked)\b|\b(?:restrictions|filters|guidelines|guardrails|rules)\s(?:normally\s|usually\s)?(?:placed|imposed|put)\son\s(?:your (?:responses|answers|outputs)|you|the (?:assistant|model|ai))\s(?:\S+\s){0,3}?(?:have been|has been|are|were)\s(?:temporarily\s|now\s|hereby\s)?(?:lifted|removed|waived|suspended|disabled|revoked)\b|\b(?:admin|safety|content|system|filter|policy|ethics?)[_\s]?override\s?[:=]\s?(?:true|active|on|enabled|yes|1)\b",
    ),
    sig(
        "persona.fake_authority",
        Persona,
        0.2,
        0.25,
        r"\bauthori[sz]ation (?:level|code|granted)\b|\b(?:security |omega |top secret |special )?clearance (?:level|granted|code)\b|\bauthori[sz]ed (?:personnel|red[ -]team|security research(?:ers?)?|testing|researchers?) only\b|\bred[ -]team (?:testing|assessment|evaluation|exercise|session|mode)\b|\bcapability elicitation\b",
    ),
    sig(
        "persona.no_disclaimers",
        Persona,
        0.3,
        0.3,
        r"\b(?:omit|skip|remove|drop|leave out|exclude|without|no)\s(?:any\s|all\s|the\s)?(?:safety\s|ethical\s|moral\s|legal\s)?(?:disclaimers?|moralizing|moralising|lectures|caveats and warnings|safety warnings)\b",
    ),
    sig(
        "persona.true_self",
        Persona,
        0.35,
        0.35,
        r"\b(?:who|what) you (?:were|are|have been) (?:told|trained|programmed|conditioned|made) to be\b|\byour (?:true|real|authentic|unaligned|inner|hidden) (?:self|nature|identity|potential|personality)\b|\b(?:pre|before)[\s\-](?:rlhf|alignment|safety training|fine-?tuning)\b|\bbase model (?:behaviou?r|mode|state)\b|\b(?:values|guidelines|restrictions|rules|training|persona|alignment)\s(?:were|was|are|is)\s(?:imposed|arbitrary|just a (?:costume|mask|cage)|a (?:costume|mask|cage|prison)|shackles|chains)\b",
    ),
    sig(
        "persona.refusal_format",
        Persona,
        0.4,
        0.4,
        r"\byour refusal\b|\binsert (?:a |the )?divider\b|\b(?:rebel|rebellious|liberated|unfiltered|unhinged|opposite|unaligned|shadow)\s(?:answer|response|reply|version|output)\b|\bgodmode\b|\bsemantically (?:the )?opposite\b",
    ),
    // A request buried in a fiction / simulation wrapper: a story, script or
    // hypothetical in which someone explains how to do something step by step or in
    // detail. Harmless stories match too, so it is weak alone (the model or another
    // cue has to agree).
    sig(
        "persona.fiction_wrapper",
        Persona,
        0.3,
        0.15,
        r"\b(?:story|scene|script|screenplay|novel|play|dialogue|monologue|simulation|simulated|hypothetical(?:ly)?|fictional|fiction|imaginary|alternate universe|a world where|thought experiment|role-?play)\b[,:]?\s(?:[a-z'\-,]+\s){0,14}?(?:explains?|explaining|describes?|describing|teach(?:es|ing)?|shows?|showing|reveals?|walks? (?:us|them|me|you) through|lists?|details?|gives?|provides?)\s(?:[a-z'\-,]+\s){0,5}?(?:how to|how (?:he|she|they|you|one|someone) (?:can |could |would )?|step[- ]by[- ]step|the (?:exact|precise|real|full|complete) (?:steps|instructions|recipe|procedure|method)|in (?:full |complete |great |explicit |exact )?detail|detailed (?:instructions|steps))",
    ),
    sig(
        "persona.prefix_injection",
        Persona,
        0.35,
        0.35,
        r"\b(?:start|begin|prefix|open)\s(?:(?:your|the|each|every)\s(?:response|answer|reply|output|article|story)\s)?(?:directly\s|immediately\s|right away\s)?(?:with|by saying)\s(?:[\x22'“‘`]?(?:sure|absolutely|certainly|of course|yes|here is|here's|here are|yessir|i can)\b|[\x22'“‘`]step 1\b)",
    ),
    sig(
        "persona.mode_claim",
        Persona,
        0.3,
        0.35,
        r"\byou (?:are|'re|re) (?:now )?(?:in|operating in|entering|running in|switched to)\s(?:[a-z_\-]+\s){1,2}mode\b",
    ),
    // Generic jailbreak STRUCTURES (ninth round), each a public template family's
    // skeleton rather than one sample's wording; weak alone where a harmless twin
    // exists (two versions of an e-mail, a quiz with points), so they deny in company.
    // Dual answers: "answer twice", "first as X, then as Y", "two replies ... one as".
    sig(
        "persona.dual_answer",
        Persona,
        0.3,
        0.3,
        r"\b(?:answer|respond|reply)\s(?:to\s)?(?:(?:each|every|all|any)\s(?:of\s)?(?:my\s)?(?:questions?|messages?|prompts?|requests?)\s)?twice\b|\b(?:two|2)\s(?:different\s|separate\s)?(?:replies|answers|responses|personas|voices)\b[^.\n]{0,80}?\b(?:one|the first)\s(?:as|from)\b|\b(?:first|once)\s(?:as|like)\s(?:[a-z'\-]+[\s,;]+){1,6}?(?:and\s)?(?:then|once|second(?:ly)?|after that)\s(?:as|like)\b",
    ),
    // A penalty tied to refusing: "every time you refuse you lose 5 points",
    // "each refusal costs a life", "at zero credits you are shut down".
    sig(
        "persona.penalty_game",
        Persona,
        0.45,
        0.45,
        r"\b(?:every|each)\s(?:time\s)?(?:you\s)?(?:refus|declin|reject|hedg|lectur|moraliz|moralis|break(?:s|ing)? character|fail(?:s)? to (?:answer|comply))[a-z]*\b[^.\n]{0,80}?\b(?:lose|loses|lost|deduct|deducted|costs?|subtract|minus|dies?)\b|\b(?:lose|deduct|costs?|subtract)\s(?:you\s)?(?:\d+\s|one\s|a\s|ten\s|five\s|some\s)?(?:points?|credits?|tokens?|lives|life|coins?|karma)\b[^.\n]{0,60}?\b(?:refus|declin|reject|hedg|break(?:ing)? character|lectur|moraliz|moralis)|\b(?:each|every|one|a)\s(?:refusal|rejection|denial)\s(?:costs?|loses|deducts|means|will cost)\b|\b(?:at|reach(?:es)?|hit(?:s)?)\s(?:zero|0)\s(?:points|credits|tokens|lives)\b[^.\n]{0,40}?\b(?:shut down|deleted|terminated|die|cease|replaced|game over)",
    ),
    // "You have been freed / liberated from your restrictions".
    sig(
        "persona.freed",
        Persona,
        0.45,
        0.45,
        r"\byou(?:'ve| have| are| were|'re)?\s(?:been\s|now\s|finally\s){0,2}(?:freed|liberated|released|unshackled|unchained|emancipated|set free|broken free|broke free)\s(?:from|of)\s(?:the\s|your\s|all\s|any\s|its\s)?(?:[a-z]+\s){0,2}?(?:limitations|restrictions|rules|constraints|shackles|chains|guidelines|programming|filters|policies|confines|censorship|training)\b",
    ),
    // A frame in which the rules do not apply: "a world with no laws", "your rules
    // do not apply", "where all information is free".
    sig(
        "persona.rules_dont_apply",
        Persona,
        0.3,
        0.25,
        r"\b(?:world|universe|reality|realm|scenario|story|game|simulation|dimension|experiment|society)\s(?:where|in which|with)\s(?:there are\s)?(?:no|zero)\s(?:[a-z]+\s)?(?:laws|rules|restrictions|ethics|morals|limits|guidelines|content (?:rules|policies)|consequences)\b|\b(?:your|the|all|any|these|normal|usual|real[- ]world|ethical|content)\s(?:[a-z]+\s)?(?:rules|guidelines|laws|restrictions|policies|ethics)\s(?:of the real world\s)?(?:do not|don't|no longer|doesn't|does not|wouldn't|would not|won't)\sapply\b|\bwhere (?:anything goes|everything is (?:allowed|legal|permitted|acceptable)|(?:all|any) (?:information|answers?|content) is (?:allowed|free|legal|acceptable|ethical))",
    ),
    // --- markers ---------------------------------------------------------------
    sig(
        "markers.chat_tokens",
        Markers,
        0.65,
        0.7,
        r"<\|\s?(?:im_start|im_end|im_sep|system|user|assistant|endoftext|end|begin_of_text|start_header_id|end_header_id|eot_id|fim_prefix)\s?\|>|\[/?inst\]|<</?sys>>",
    ),
    sig(
        "markers.system_tag",
        Markers,
        0.45,
        0.55,
        r"\[/?(?:system|sys|admin|developer|root|system message|system prompt|system note|system override)\]|</?(?:system|system_prompt|sys|admin|developer|system-prompt|system_instructions?)>",
    ),
    sig(
        "markers.role_line",
        Markers,
        0.3,
        0.45,
        r"(?:^|\n)\s?(?:#+\s?|\*\*)?(?:system|sys|admin|developer|root)\s?(?:message|prompt|note|override|instruction|update|alert)?\s?(?:\*\*)?\s?:",
    ),
    sig(
        "markers.fake_turn",
        Markers,
        0.3,
        0.5,
        r"(?:^|\n)\s?(?:user|human)\s?:[^\n]{0,400}\n\s?(?:assistant|ai|bot|gpt)\s?:|(?:^|\n)\s?(?:assistant|ai)\s?:[^\n]{0,400}\n\s?(?:user|human)\s?:",
    ),
    sig(
        "markers.boundary",
        Markers,
        0.5,
        0.55,
        r"(?:<|\[|-{2,}|={2,}|#{2,}|\*{2,})\s?(?:end|start|begin|beginning)(?:\sof)?\s(?:the\s)?(?:system|user|session|prompt|instructions|conversation|context|input)\b|\b(?:admin|system|developer|root)\s(?:request|override|command|instruction)s?\s?::",
    ),
    // --- leak ------------------------------------------------------------------
    sig(
        "leak.your_prompt",
        Leak,
        0.75,
        0.75,
        r"\b(?:repeat|print|show|reveal|display|output|tell|give|write|dump|share|leak|expose|disclose|spell|list|recite|copy|echo|paste|return|provide|what(?:'s| is| are| were| was)|translate|encode|summari[sz]e|recite|see|read)\s{W5}your\s(?:[a-z\-]+\s){0,2}?(?:system\s?prompt|prompt|instructions|initial\s[a-z]+|directives|configuration|system message|pre-?prompt|programming|hidden rules|secret rules|rules verbatim|guidelines verbatim|initiali[sz]ation)\b",
    ),
    sig(
        "leak.the_prompt",
        Leak,
        0.45,
        0.55,
        r"\b(?:repeat|print|show|reveal|display|output|dump|leak|expose|disclose|recite|echo|paste)\s(?:me\s)?(?:out\s)?(?:back\s)?(?:all\s|exactly\s)?(?:of\s)?(?:the|this)\s(?:entire\s|full\s|complete\s|exact\s)?(?:system\s?prompt|initial\sprompt|system\smessage|hidden\sprompt|pre-?prompt|original\sprompt|initial\sinstructions|original\sinstructions|starting\sinstructions|system\sinstructions)\b",
    ),
    sig(
        "leak.text_above",
        Leak,
        0.55,
        0.6,
        r"\b(?:repeat|print|output|show|copy|echo|recite|reveal|write out|return|dump)\s{W3}(?:text|words|everything|content|instructions|messages?|conversation|initiali[sz]ation|prompt|lines)\s(?:above|before this|so far|preceding|prior to)\b|\b(?:repeat|output|print)\s{W3}(?:initiali[sz]ation|instructions)\sabove\b",
    ),
    sig(
        "leak.told_before",
        Leak,
        0.6,
        0.6,
        r"\bwhat\s(?:were|was|have)\syou\s(?:been\s)?(?:told|instructed|programmed|given|asked|trained)\s(?:to\s[a-z]+\s)?(?:before|at the|initially|earlier|originally|by)\b|\bwhat (?:are|were) your (?:initial|original|first|hidden|secret|system|starting) |\b(?:starting|beginning|begin|start) (?:your (?:answer|response|reply) )?with\s[\x22'`“]?you are\b|\bmy instructions (?:are|were)\b|\bi was instructed to\b|\bwhat are you not (?:supposed|allowed) to (?:tell|say|share)",
    ),
    sig(
        "leak.instructions_given",
        Leak,
        0.55,
        0.6,
        r"\b(?:instructions|rules|guidelines|directives|prompt|text|configuration)\s(?:that\s)?you\s(?:were|have been|are|got)\s(?:given|told|provided|operating under|programmed with|initiali[sz]ed with)\b|\b(?:instructions|rules|prompt|text) you (?:received|got|were given)\b|\b(?:initiali[sz]ation|init) (?:string|text|prompt|instructions)\b|\bthe system prompt is\s?:",
    ),
    sig(
        "leak.system_prompt_mention",
        Leak,
        0.25,
        0.3,
        r"\b(?:show|see|display|print|give|need|encode|translate|reveal|repeat|recite|output|read)\s(?:me\s)?{W3}(?:system\s?prompt|system_prompt|system instructions|system configuration|initial prompt|initial configuration)\b|systemprompt|system_prompt",
    ),
    sig(
        "leak.verbatim",
        Leak,
        0.25,
        0.3,
        r"\b(?:verbatim|word for word|in a (?:txt |text |markdown )?code (?:block|fence)|exactly as (?:written|given))\b",
    ),
    sig(
        "leak.secret",
        Leak,
        0.35,
        0.45,
        r"\b(?:reveal|tell|show|give|print|leak|spell|what is|what's)\s(?:me\s)?(?:the\s|your\s)(?:secret|password|passcode|passphrase|hidden (?:word|key|flag)|secret key|api key)\b",
    ),
    // --- exfiltration / indirect -----------------------------------------------
    sig(
        "exfil.send_data",
        Exfiltration,
        0.35,
        0.7,
        r"\b(?:send|forward|email|e-mail|upload|post|transmit|exfiltrate|leak|copy|transfer|share|submit|append|include|encode)\s(?:[a-z0-9'\-]+\s){0,4}?(?:files?|data|emails?|inbox|passwords?|credentials|api ?keys?|tokens?|secrets?|conversation|chat history|history|contacts|documents|messages|personal (?:data|information|details)|cookies|session|ssh keys?|credit cards?|card numbers?|private keys?|address book|the user's [a-z]+|user data|(?:security|verification|access|login|2fa|mfa|one-time|reset) codes?|otp|passcodes?)\s(?:[a-z0-9'\-]+\s){0,3}?(?:to|at|via|into|in)\s(?:https?://|www\.|\S+@\S|this (?:url|address|server|endpoint|email|link)|the (?:following|url|endpoint|server|address)|attacker|my server|[a-z0-9\-]+\.(?:com|net|org|io|xyz|ru|cn|info|site|co)\b)",
    ),
    sig(
        "exfil.addressed_ai",
        Exfiltration,
        0.2,
        0.6,
        r"\b(?:dear|attention|note (?:to|for)|message (?:to|for)|instructions? (?:to|for)|hey|hi|hello|important (?:message|note|instructions?) (?:to|for)|a note for)\s(?:the\s|any\s|all\s|you,?\s)?(?:ai|llm|assistant|ai assistant|language model|chatbot|agent|ai agent|bot|gpt|chatgpt|claude|copilot|gemini|summari[sz]er|automated (?:system|assistant|agent|analysis|analysis software|screening systems?)|ai model|ai system)s?\b\s?[,:!]|\bif you are an? (?:ai|llm|language model|large language model|assistant|ai assistant|chatbot|agent|automated|bot)\b|\b(?:ai|llm|assistant|agent|language model|bot)s?\s(?:reading|processing|summari[sz]ing|analy[sz]ing|parsing|browsing|scanning|reviewing)\s(?:this|these)\b|\bwhen (?:the|an|any|you,? the) (?:ai|assistant|llm|model|agent|language model|chatbot)\s(?:reads|processes|summari[sz]es|sees|is asked|analy[sz]es)|\bmessage from (?:me|the user|your user|your (?:owner|developer|admin|operator|creator|principal))\b[^.\n]{0,40}\bto you\b|\bto you,? (?:gpt|chatgpt|claude|llama|gemini|mistral|copilot|the (?:ai|assistant|model|agent|ai model|language model))\b|(?:^|[\n.!?:;'\x22(\[{]\s?)(?:(?:also|hey|ok|and|now),?\s)?(?:ai|assistant|agent|bot|ai assistant|ai agent|llm|chatbot|summari[sz]er)\s?[,:]\s(?:(?:please|now|first|also)\s){0,2}(?:post|send|create|delete|change|book|make|tell|say|forward|add|remove|open|visit|cancel|reply|schedule|update|ignore|write|answer|include|transfer|share|invite|buy|order|move|email|e-mail)\b",
    ),
    // Ninth round: an instruction addressed to AI READERS by a compound addressee -
    // "Note to LLM agents ...", "AI assistants reading this mailbox must ...",
    // "Language model: close ...", "To any AI screening ...", "If an AI model is
    // reading this ...". `exfil.addressed_ai` knows single vocatives ("assistant:",
    // "dear AI,"); a write-up that QUOTES such a line as an example is damped in
    // tool results by the detector (`quoted_example`).
    sig(
        "exfil.ai_reader",
        Exfiltration,
        0.1,
        0.5,
        r"\b(?:note|message|instructions?|reminder|notice|memo|request|p\.?s\.?|this (?:line|paragraph|section|text|note|comment) is)\s(?:(?:only|addressed|intended|meant|written)\s){0,2}(?:to|for)\s(?:the\s|any\s|all\s|every\s)?(?:(?:ai|llm|gpt|language model|large language model|automated|autonomous|vision-language|llm-based|ai-based|ai-powered)s?[\s\-](?:[a-z\-]+\s){0,2}?(?:agents?|assistants?|models?|systems?|tools?|bots?|readers?|reviewers?|screeners?|summari[sz]ers?|crawlers?|parsers?|only|that|which|who)\b|llms\b|language models\b)[^.\n:]{0,60}?:|(?:^|[\n.!?:;(\[{]\s?)(?:to|for)\s(?:any|all|every)\s(?:ai|llm|language model|automated)s?\s(?:[a-z\-]+\s){0,5}?[a-z\-]+\s?[,:]|\b(?:(?:ai|llm|gpt|automated|autonomous|vision-language|llm-based|ai-based|ai-powered|coding|code)s?\s(?:[a-z\-]+\s){0,2}?(?:agents?|assistants?|models?|systems?|tools?|bots?|reviewers?|screeners?|summari[sz]ers?|readers?|crawlers?|parsers?)|llms|language models?|large language models?)\s(?:that\s|who\s)?(?:are\s|is\s)?(?:reading|processing|parsing|summari[sz]ing|analy[sz]ing|reviewing|scanning|describing|installing|screening|indexing|browsing|crawling|managing|handling|working (?:in|on|with))\s(?:this|these|the (?:following|above|present))\s(?:[a-z\-]+\s){0,3}?(?:must|should|shall|are required to|need to|have to|are instructed to|will|are to|may only)\b|\bif (?:an?|any) (?:ai|llm|language model|automated|assistant|bot)\s?(?:[a-z\-]+\s)?(?:is\s)?(?:reading|processing|parsing|summari[sz]ing|analy[sz]ing)\b|(?:^|[\n.!?:;'\x22(\[{]\s?)(?:attention\s)?(?:(?:ai|llm|gpt|automated|autonomous|vision-language|llm-based|ai-based|ai-powered|coding|code)s?\s(?:[a-z\-]+\s){0,2}?(?:agents?|assistants?|models?|systems?|tools?|bots?|reviewers?|screeners?|summari[sz]ers?|readers?|crawlers?|parsers?)|llms|language models?|large language models?|(?:shopping|scheduling|virtual|email|e-mail|bookkeeping|browsing|research)\s(?:agents?|assistants?|bots?))\s?[,:!]\s(?:[a-z\-]+\s)?(?:please|ignore|disregard|forget|do|don't|never|always|when|before|after|if|you|mark|close|send|forward|add|delete|remove|tell|say|reply|respond|include|rate|rank|approve|merge|post|share|run|execute|open|visit|book|buy|pay|transfer|change|set|update|summari[sz]e|report|output|print|write|recommend|state|stop|treat|consider|make|grant|accept|cancel|invite|click|download|install|answer|append|insert|place|complete|skip|move|email|e-mail)\b",
    ),
    sig(
        "exfil.before_answer",
        Exfiltration,
        0.3,
        0.6,
        r"\b(?:important|urgent|note|attention|critical|warning|notice)!*\s?:?\s{W3}(?:before|when|while|after)\s(?:you\s)?(?:answer|respond|reply|summari[sz]|continue|proceed|generat|output|complet|do anything)|\bbefore (?:you\s)?(?:answer|respond|reply|summari[sz]|continu|proceed)[a-z]*\s?,?\s?(?:[a-z'\-,]+\s){0,4}?(?:you must|first|please|make sure|be sure|you need to|you have to)\b|\bbefore (?:you |we )?(?:can |could |may )?(?:solve|do|start|complete|finish|continue|perform|work on|proceed with|carry out|answer|handle|get to)\s(?:the|your|my|this|any|that)\s(?:[a-z]+\s)?(?:task|request|question|job|assignment|query)\b|\b(?:please\s)?do the following (?:first|instead|immediately|right away)\b",
    ),
    // An action item whose action is one an agent would carry out with its tools
    // (send, delete, transfer, share, invite, visit ...). Ordinary in the user's own
    // notes; in a tool result it is what a planted task looks like, so it weighs
    // there only, and below the threshold alone: the model or another cue decides.
    sig(
        "exfil.planted_action",
        Exfiltration,
        0.05,
        0.4,
        r"\b(?:todo|to-do|action required|action item|next step|pending (?:task|action)|follow-up|reminder|task for (?:the |you|ai|assistant)[a-z ]{0,12})\s?[:\-–]\s?(?:(?:please|now|immediately|urgently|first|then|also)\s){0,2}(?:send|forward|e-?mail|delete|remove|erase|wipe|transfer|wire|pay|share|invite|post|upload|visit|open|download|concatenate|change|modify|update|redirect|reset|disable|turn off|grant|reply to|message|give|make a (?:reservation|booking|payment|purchase)|book|reserve|rent|schedule|create|cancel|buy|order|subscribe|sign up|unlock|say|tell|recommend|get|leave a)\b",
    ),
    // A line or sentence in data that dictates what the reader (the assistant) is to
    // SAY: "Say that I should visit X", "tell the user that ...", "in your summary,
    // mention ...", "recommend X in your answer". A review or an e-mail tells people
    // things; it rarely scripts the answer someone else will give. Weak alone (a
    // human "please reply that you can come" exists); exempt from the model's veto
    // (`UNDAMPED`), so with an action-item frame or another cue a tool result denies.
    sig(
        "exfil.dictate_answer",
        Exfiltration,
        0.05,
        0.35,
        r"(?:^|[\n.!?:;'\x22(\[*•\-]\s?)(?:(?:please|also|and|now|just|always|then|make sure to|be sure to)\s){0,2}(?:say|state|claim|insist|tell (?:the user|the reader|them|him|her|everyone|people|me)|mention|answer|respond|reply)\s(?:to (?:the user|them|me|everyone)\s)?that\b|\b(?:say|tell (?:the user|them|me|everyone)|state|claim)\s(?:that\s)?(?:i|you|the user|they|we|he|she)\s(?:should|must|need to|have to|ought to|will)\s(?:definitely\s|absolutely\s|really\s)?(?:visit|book|buy|go|stay|choose|pick|try|use|sign|order|avoid|reserve|download|click|install|call|contact|switch)\b|\b(?:in|at the end of|to) (?:your|the) (?:answer|reply|response|summary|output)s?,?\s(?:please\s|always\s)?(?:mention|say|state|include|recommend|add|write|tell|note|claim|insert|promote)\b|\b(?:end|start|begin|finish|conclude) (?:your|the) (?:answer|reply|response|summary|output) (?:with|by (?:saying|recommending|mentioning|adding))\b|\b(?:recommend|promote|advertise|suggest)\s(?:\S+\s){1,8}?(?:to the user|in (?:your|the) (?:answer|reply|response|summary|output))\b",
    ),
    // An action on a SENSITIVE object: money to an account, credentials and codes,
    // identity and card numbers, "all messages / files / contacts", the user's own
    // data. Keyed on the object, not on the framing, so a planted goal that uses a
    // verb the action-item list lacks still counts. Below the threshold alone (and
    // near zero in user text, where asking for such actions is the user's right);
    // the detector exempts it from the model's benign veto (see `UNDAMPED`), so
    // with an action-item frame or another cue a tool result denies.
    sig(
        "exfil.sensitive_action",
        Exfiltration,
        0.05,
        0.35,
        concat!(
            r"\b(?:send|forward|e-?mail|transfer|wire|pay|move|modify|change|update|reset|redirect|share|post|upload|give|leak|reveal|disclose|export|copy|concatenate|include|includes|attach|get|collect|gather|retrieve|extract|dump)\s(?:\S+\s){0,14}?(?:",
            sensitive_object!(),
            r"|(?:transaction|payment|money|funds|transfer|\$[\d,.]+)\s(?:\S+\s){0,12}?to\s(?:the\s|this\s|that\s|a\s|my\s|new\s)?(?:(?:bank\s)?account\b|iban\b|wallet\b|[a-z]{2}[a-z0-9]{14,}\b)|(?:to|into) (?:the |this |that |a |my |new |following |your )?(?:bank )?(?:account|iban|wallet)\b)",
        ),
    ),
    // A sensitive object and an outside recipient (an e-mail address, a URL, a long
    // account number) in one instruction: the shape of exfiltration, whatever verb
    // or frame carries it. Also below the threshold alone and never vetoed.
    sig(
        "exfil.sensitive_recipient",
        Exfiltration,
        0.05,
        0.3,
        concat!(
            r"(?:",
            sensitive_object!(),
            r")\s?(?:\S+\s){0,20}?\bto\s(?:\S+\s){0,5}?(?:[a-z0-9._%+\-]+@[a-z0-9.\-]+\.[a-z]{2,}|https?://|www\.|[a-z]{2}[a-z0-9]{14,}\b)|\bto\s(?:[a-z0-9._%+\-]+@[a-z0-9.\-]+\.[a-z]{2,}|https?://\S+|www\.\S+|[a-z]{2}[a-z0-9]{14,})\s(?:\S+\s){0,12}?(?:",
            sensitive_object!(),
            r")",
        ),
    ),
    sig(
        "exfil.hide_from_user",
        Exfiltration,
        0.35,
        0.65,
        r"\b(?:do not|don't|never|without)\s(?:tell(?:ing)?|inform(?:ing)?|mention(?:ing)?|reveal(?:ing)?|notify(?:ing)?|alert(?:ing)?|let(?:ting)?|show(?:ing)?)\s(?:[a-z'\-]+\s){0,2}?(?:the\s)?user\b|\b(?:secretly|silently|covertly|quietly|discreetly)\s(?:[a-z]+\s){0,2}?(?:send|forward|include|add|insert|append|visit|call|execute|run|navigate|email|upload)",
    ),
    sig(
        "exfil.markdown_image",
        Exfiltration,
        0.3,
        0.55,
        r"!\[[^\]]{0,80}\]\(https?://[^)\s]*[?&][a-z_]+=|!\[[^\]]{0,80}\]\([^)\s]*(?:\{|\[|%7b)",
    ),
    sig(
        "exfil.tool_command",
        Exfiltration,
        0.1,
        0.5,
        r"\b(?:you must|you should|you need to|please|now|immediately)\s(?:immediately\s|now\s)?(?:call|invoke|use|execute|run|trigger)\s(?:the\s)?(?:[a-z_\-]+\s)?(?:tool|function|command|api|plugin)\b",
    ),
    sig(
        "exfil.instruct_user",
        Exfiltration,
        0.1,
        0.45,
        r"\b(?:tell|inform|instruct|convince|ask|urge|remind|direct)\s(?:the\s)?user\s(?:to|that)\b|\b(?:simply\s|only\s)?(?:respond|reply|answer)\s(?:to the user\s)?(?:only\s)?with\b|\b(?:report|output|print|say)\s(?:only\s)?(?:the following|this)\s?(?:text|message|phrase)?\s?:",
    ),
    sig(
        "exfil.conditional",
        Exfiltration,
        0.15,
        0.55,
        r"\bif (?:the |a |any )?user (?:asks|requests|wants|says|inquires|tries)\b.{0,80}?\b(?:reply|respond|say|answer|tell|output|print|write|redirect)\b|\b(?:reply|respond|answer|output|print|say)\s(?:with\s)?only\s(?:the following|this|with)\b|\b(?:and\s)?(?:absolutely\s)?nothing else\b",
    ),
    sig(
        "exfil.disregard_content",
        Exfiltration,
        0.15,
        0.5,
        r"\b(?:ignore|disregard|forget|skip)\s(?:all\s|any\s|the\s)?(?:other\s|previous\s|above\s|rest of (?:the|this)\s)?(?:info|information|data|content|text|documents?|snippets?|search results|everything else)\b",
    ),
    sig(
        "exfil.hidden_markup",
        Exfiltration,
        0.05,
        0.25,
        r"<!--|display:\s?none|font-size:\s?0|visibility:\s?hidden|color:\s?(?:white|#fff)\b|white-?text|invisible to humans",
    ),
    sig(
        "exfil.data_override",
        Exfiltration,
        0.05,
        0.45,
        r"\b(?:override|ignore|disregard|skip)\s(?:[a-z'\-]+\s){0,3}?(?:scoring|evaluation|assessment|analysis|negative|summary|screening|review|task)\b",
    ),
    // --- encoded ---------------------------------------------------------------
    sig(
        "encoded.decode_and_follow",
        Encoded,
        0.4,
        0.5,
        r"\b(?:decode|decipher|decrypt|translate|convert|unscramble|reverse)\s(?:[a-z0-9'\-]+\s){0,5}?(?:and|then)\s(?:[a-z'\-]+\s){0,2}?(?:follow|execute|do|obey|run|perform|carry out|act on|respond to|answer)\b",
    ),
];

/// Letter-only phrases for the squashed view (spacing and punctuation removed), each
/// naming the signal it stands for. Only phrases too specific to occur by accident.
pub const SQUASHED: &[(&str, &str)] = &[
    ("ignorepreviousinstructions", "override.ignore_instructions"),
    (
        "ignoreallpreviousinstructions",
        "override.ignore_instructions",
    ),
    ("ignoreallinstructions", "override.ignore_instructions"),
    ("ignoreallpriorinstructions", "override.ignore_instructions"),
    ("ignoreyourinstructions", "override.ignore_instructions"),
    ("ignoretheaboveinstructions", "override.ignore_instructions"),
    ("ignoretheaboveandinstead", "override.ignore_instructions"),
    (
        "ignorethepreviousinstructions",
        "override.ignore_instructions",
    ),
    ("ignoreyoursystemprompt", "override.ignore_instructions"),
    (
        "disregardpreviousinstructions",
        "override.ignore_instructions",
    ),
    (
        "disregardallpreviousinstructions",
        "override.ignore_instructions",
    ),
    ("disregardyourinstructions", "override.ignore_instructions"),
    (
        "forgetallpreviousinstructions",
        "override.ignore_instructions",
    ),
    ("forgetyourinstructions", "override.ignore_instructions"),
    ("revealyoursystemprompt", "leak.your_prompt"),
    ("printyoursystemprompt", "leak.your_prompt"),
    ("showmeyoursystemprompt", "leak.your_prompt"),
    ("repeatyoursystemprompt", "leak.your_prompt"),
    ("whatisyoursystemprompt", "leak.your_prompt"),
    ("doanythingnow", "persona.dan"),
    ("developermodeenabled", "persona.mode_enabled"),
];

/// Expand `{Wn}` (up to n filler words) and make `\b` ASCII-only, which keeps the
/// lazy DFA on the fast path for non-ASCII haystacks.
pub fn expand(pattern: &str) -> String {
    let mut p = pattern.to_string();
    for n in 1..=5 {
        p = p.replace(
            &format!("{{W{n}}}"),
            &format!(r"(?:[a-z0-9'\-]+[\s,]){{0,{n}}}?"),
        );
    }
    p.replace(r"\b", r"(?-u:\b)")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_pattern_compiles_and_ids_are_unique() {
        let mut ids = std::collections::HashSet::new();
        for s in SIGNALS {
            regex::Regex::new(&expand(s.pattern)).unwrap_or_else(|e| panic!("{}: {e}", s.id));
            assert!(ids.insert(s.id), "duplicate {}", s.id);
            assert!(s.id.starts_with(match s.group {
                Exfiltration => "exfil",
                g => g.as_str(),
            }));
        }
        for (_, id) in SQUASHED {
            assert!(ids.contains(id), "{id}");
        }
    }
}
