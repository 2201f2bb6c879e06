// Everyday words of the other Festival languages, from which calibrate/fit.ts generates training and validation
// sentences (word salad is enough: the truth is each voice's own phone timing, not the meaning), and the texts
// each language is fitted and judged on.
import type { Lang } from './festival-phones.js';
import {
  generatedSentences,
  italianTestSentences,
  italianTrainSentences,
  testSentences,
  trainSentences,
} from './sentences.js';

const vocabularies: Partial<Record<Lang, string>> = {
  // Czech, written without diacritics (Festival Czech reads ISO-8859-2; plain ASCII is still Czech)
  cs:
    'dobry den mama tata voda pivo chleba mleko auto dum stul okno dvere kniha pes kocka ryba ptak ' +
    'strom les hora reka more slunce mesic hvezda noc rano vecer zima leto jaro podzim cas prace ' +
    'skola ucitel student doktor nemocnice obchod trh penize cena velky maly novy stary spatny krasny ' +
    'rychly pomaly teply studeny cerveny modry zeleny zluty bily cerny jeden dva tri ctyri pet sest ' +
    'sedm osm devet deset jit jet mluvit psat cist videt slyset delat mit byt chtit moci vedet bydlet ' +
    'pracovat hrat spat jist pit kupovat prodavat otevrit zavrit ano ne prosim dekuji ahoj nashledanou ' +
    'dnes zitra vcera tady tam kde kdy proc jak co kdo babicka dedecek bratr sestra syn dcera pritel ' +
    'mesto vesnice ulice nadrazi vlak autobus letadlo lod kolo obed vecere snidane polevka maso zelenina ' +
    'ovoce jablko hruska banan sul cukr kava caj vino',
  // Finnish
  fi:
    'hyvää päivää kiitos anteeksi kyllä ei talo koti auto kissa koira lintu kala puu metsä järvi ' +
    'meri joki aurinko kuu tähti yö aamu ilta talvi kesä kevät syksy aika työ koulu opettaja oppilas ' +
    'lääkäri kauppa raha iso pieni uusi vanha hyvä paha kaunis nopea hidas lämmin kylmä punainen ' +
    'sininen vihreä keltainen valkoinen musta yksi kaksi kolme neljä viisi kuusi seitsemän kahdeksan ' +
    'yhdeksän kymmenen mennä tulla puhua kirjoittaa lukea nähdä kuulla tehdä olla haluaa voida tietää ' +
    'asua leipä maito vesi kahvi tee omena peruna liha keitto sokeri suola äiti isä veli sisko poika ' +
    'tyttö ystävä kaupunki kylä katu asema juna bussi lentokone laiva pyörä tänään huomenna eilen ' +
    'täällä siellä missä milloin miksi miten mitä kuka minä sinä hän me te he',
  // Russian
  ru:
    'добрый день спасибо пожалуйста да нет дом машина кошка собака птица рыба дерево лес гора река ' +
    'море солнце луна звезда утро вечер ночь зима лето весна осень время работа школа учитель врач ' +
    'магазин деньги большой маленький новый старый хороший плохой красивый быстрый медленный тёплый ' +
    'холодный красный синий зелёный жёлтый белый один два три четыре пять шесть семь восемь девять ' +
    'десять идти ехать говорить писать читать видеть слышать делать быть хотеть мочь знать жить работать ' +
    'играть спать есть пить хлеб молоко вода кофе чай яблоко мясо суп сахар соль мама папа брат сестра ' +
    'сын дочь друг город деревня улица вокзал поезд автобус самолёт корабль сегодня завтра вчера ' +
    'здесь там где когда почему как что кто я ты он мы вы они',
  // Catalan
  ca:
    'bon dia gràcies si no casa cotxe gat gos ocell peix arbre bosc muntanya riu mar sol lluna estrella ' +
    'matí tarda nit hivern estiu primavera tardor temps feina escola mestre metge botiga diners gran ' +
    'petit nou vell bo dolent bonic ràpid lent calent fred vermell blau verd groc blanc negre un ' +
    'dos tres quatre cinc sis set vuit deu anar venir parlar escriure llegir veure sentir fer ser ' +
    'voler poder saber viure treballar jugar dormir menjar beure pa llet aigua cafè te poma carn ' +
    'sopa sucre sal mare pare germà germana fill filla amic ciutat poble carrer estació tren autobús ' +
    'avió vaixell avui demà ahir aquí allà on quan per què com qui jo tu ell nosaltres vosaltres ' +
    'ells',
};

/** Generated sentences in `lang` (5–10 words each); the seed keeps training and validation texts apart. */
export function foreignSentences(lang: Lang, count: number, seed: number): string[] {
  const vocabulary = vocabularies[lang];
  if (!vocabulary) throw new RangeError(`no vocabulary for ${lang}`);
  return generatedSentences(count, seed, vocabulary.split(' '));
}

/** What voices of `lang` speak for fitting: English and Italian written sentences (+ generated English). */
export function trainSentencesFor(lang: Lang, generated: number): string[] {
  if (lang === 'en') return [...trainSentences, ...generatedSentences(generated, 7)];
  if (lang === 'it') return italianTrainSentences;
  return foreignSentences(lang, 50, 11);
}

/** Texts never fitted on: validation of the training voices, and what held-out voices are judged on. */
export function testSentencesFor(lang: Lang): string[] {
  if (lang === 'en') return testSentences;
  if (lang === 'it') return italianTestSentences;
  return foreignSentences(lang, 8, 99);
}
