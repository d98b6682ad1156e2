package extract

// Transitional: the claim model's sentence features (candidates.go, being
// edited on main) still read the word lists as package-level names. Until
// they take them from the sentence (ss.words.reportingVerbs,
// ss.words.pronouns, ss.words.agentlessPassive), these read the built-in
// English words, which are the same for every lexicon without a words
// section. Delete this file with that change; nothing else uses it.

var (
	reportingVerbs = mustBuiltinWords().reportingVerbs
	pronouns       = mustBuiltinWords().pronouns
)

func agentlessPassive(toks []token, c cue) bool {
	return mustBuiltinWords().agentlessPassive(toks, c)
}

// mustBuiltinWords returns the built-in English words; english.yaml is
// embedded and tested, so an error is a broken build.
func mustBuiltinWords() *words {
	w, err := builtinWords()
	if err != nil {
		panic(err)
	}
	return w
}
