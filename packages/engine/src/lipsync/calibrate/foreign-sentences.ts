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
  // Hindi, Marathi and Telugu in their own scripts (the nsk voices read UTF-8)
  hi:
    'नमस्ते धन्यवाद हाँ नहीं घर गाड़ी बिल्ली कुत्ता चिड़िया मछली पेड़ जंगल पहाड़ नदी समुद्र सूरज चाँद तारा ' +
    'सुबह शाम रात सर्दी गर्मी बारिश समय काम स्कूल अध्यापक डॉक्टर दुकान पैसा बड़ा छोटा नया पुराना अच्छा ' +
    'बुरा सुंदर तेज़ धीरे गरम ठंडा लाल नीला हरा पीला सफ़ेद काला एक दो तीन चार पाँच छह सात आठ नौ दस ' +
    'जाना आना बोलना लिखना पढ़ना देखना सुनना करना होना चाहना सकना जानना रहना खेलना सोना खाना पीना ' +
    'रोटी दूध पानी चाय कॉफ़ी सेब आम आलू सब्ज़ी चीनी नमक माँ पिता भाई बहन बेटा बेटी दोस्त शहर गाँव सड़क ' +
    'स्टेशन रेल बस जहाज़ साइकिल आज कल यहाँ वहाँ कहाँ कब क्यों कैसे क्या कौन मैं तुम वह हम आप वे',
  mr:
    'नमस्कार धन्यवाद हो नाही घर गाडी मांजर कुत्रा पक्षी मासा झाड जंगल डोंगर नदी समुद्र सूर्य चंद्र तारा ' +
    'सकाळ संध्याकाळ रात्र हिवाळा उन्हाळा पाऊस वेळ काम शाळा शिक्षक डॉक्टर दुकान पैसे मोठा लहान नवा जुना ' +
    'चांगला वाईट सुंदर जलद हळू गरम थंड लाल निळा हिरवा पिवळा पांढरा काळा एक दोन तीन चार पाच सहा सात आठ ' +
    'नऊ दहा जाणे येणे बोलणे लिहिणे वाचणे पाहणे ऐकणे करणे असणे खेळणे झोपणे खाणे पिणे भाकरी दूध पाणी चहा ' +
    'सफरचंद आंबा बटाटा भाजी साखर मीठ आई वडील भाऊ बहीण मुलगा मुलगी मित्र शहर गाव रस्ता स्टेशन बस ' +
    'आज उद्या काल इथे तिथे कुठे केव्हा का कसे काय कोण मी तू तो आम्ही तुम्ही ते',
  te:
    'నమస్కారం ధన్యవాదాలు అవును కాదు ఇల్లు బండి పిల్లి కుక్క పక్షి చేప చెట్టు అడవి కొండ నది సముద్రం ' +
    'సూర్యుడు చంద్రుడు నక్షత్రం ఉదయం సాయంత్రం రాత్రి చలి ఎండ వాన సమయం పని బడి గురువు డాక్టరు ' +
    'దుకాణం డబ్బు పెద్ద చిన్న కొత్త పాత మంచి చెడు అందమైన వేగం నెమ్మది వేడి చల్లని ఎరుపు నీలం ' +
    'ఆకుపచ్చ పసుపు తెలుపు నలుపు ఒకటి రెండు మూడు నాలుగు ఐదు ఆరు ఏడు ఎనిమిది తొమ్మిది పది వెళ్ళు ' +
    'రా మాట్లాడు రాయి చదువు చూడు విను చేయి ఆడు నిద్ర తిను తాగు అన్నం పాలు నీళ్ళు టీ కాఫీ ఆపిల్ మామిడి ' +
    'బంగాళాదుంప కూర చక్కెర ఉప్పు అమ్మ నాన్న అన్న అక్క తమ్ముడు చెల్లి కొడుకు కూతురు స్నేహితుడు ' +
    'నగరం ఊరు వీధి స్టేషను రైలు బస్సు ఈరోజు రేపు నిన్న ఇక్కడ అక్కడ ఎక్కడ ఎప్పుడు ఎందుకు ఎలా ఏమిటి ' +
    'ఎవరు నేను నువ్వు అతను మేము మీరు వాళ్ళు',
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
