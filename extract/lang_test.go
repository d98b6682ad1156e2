package extract

import (
	"strings"
	"testing"
)

func TestIsEnglish(t *testing.T) {
	const (
		en = "The delegations of Russia and Ukraine met in Geneva on Tuesday, the first round of direct talks since December. " +
			"Both sides said afterwards that the atmosphere had been businesslike. Moscow repeated that it wants Ukraine to give up " +
			"its bid to join NATO, and Kyiv said it would not accept any deal that cedes territory, according to a member of its team."
		de = "Die Delegationen Russlands und der Ukraine trafen sich am Dienstag in Genf zur ersten Runde direkter Gespräche seit Dezember. " +
			"Beide Seiten sagten danach, die Atmosphäre sei sachlich gewesen. Moskau wiederholte, dass die Ukraine auf ihren Beitritt " +
			"zur NATO verzichten solle, und Kiew erklärte, es werde keinem Abkommen zustimmen, das Gebiete abtritt, sagte ein Mitglied."
		pt = "As delegações da Rússia e da Ucrânia reuniram-se em Genebra na terça-feira, na primeira rodada de negociações diretas " +
			"desde dezembro. Ambos os lados disseram depois que o clima tinha sido profissional. Moscou repetiu que quer que a Ucrânia " +
			"desista de aderir à OTAN, e Kiev disse que não aceitaria nenhum acordo que ceda território, segundo um membro da equipe."
		uk = "Делегації Росії та України зустрілися в Женеві у вівторок, це перший раунд прямих переговорів із грудня. Обидві сторони " +
			"після цього заявили, що атмосфера була діловою. Москва повторила, що хоче, щоб Україна відмовилася від вступу до НАТО, а " +
			"Київ заявив, що не погодиться на жодну угоду, яка передбачає поступку територій, за словами члена української команди."
	)
	for _, tt := range []struct {
		name, lang, text string
		want             bool
	}{
		{"english, undeclared", "", en, true},
		{"german, undeclared", "", de, false},
		{"portuguese, undeclared", "", pt, false},
		{"ukrainian, undeclared", "", uk, false},
		{"english declared wrongly as german", "de", en, true},
		{"german declared wrongly as english", "en", de, false},
		{"ukrainian declared as english", "en", uk, false},
		{"short english, declared french", "fr", "Talks resume in Geneva.", false},
		{"short text, declared english", "en", "Ceasefire now", true},
		{"short english, undeclared", "", "The talks are over and the sides have gone home.", true},
		{"a table of scores, declared english", "en", strings.Repeat("Kyle Busch 5040 5 1 17 27 Martin Truex 5035 7 0 ", 20), false},
		{"empty", "", "", false},
	} {
		if got := IsEnglish(Article{Lang: tt.lang, Text: tt.text}); got != tt.want {
			share, words := englishShare(tt.text)
			t.Errorf("%s: IsEnglish = %v, want %v (share %.3f of %d words)", tt.name, got, tt.want, share, words)
		}
	}
}

func TestEnglishShare(t *testing.T) {
	share, words := englishShare("The cat and the dog don't like it. Они ушли.")
	if words != 10 || !near(share, 4.0/10) {
		t.Errorf("share %v of %d words, want 0.4 of 10", share, words)
	}
	long := strings.Repeat("the ", englishSample) + strings.Repeat("Genf ", 500)
	if share, words := englishShare(long); words != englishSample || share != 1 {
		t.Errorf("sample: share %v of %d words", share, words)
	}
}
