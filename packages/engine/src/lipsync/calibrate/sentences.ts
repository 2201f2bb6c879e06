// Calibration texts for audio-only lip-sync. The model is fitted on `trainSentences` (+ generated ones) and
// judged on `testSentences` spoken by held-out voices (voices.ts): different texts AND different speakers.

export const trainSentences = [
  'The birch canoe slid on the smooth planks.',
  'Glue the sheet to the dark blue background.',
  'It is easy to tell the depth of a well.',
  'These days a chicken leg is a rare dish.',
  'Rice is often served in round bowls.',
  'The juice of lemons makes fine punch.',
  'The box was thrown beside the parked truck.',
  'The hogs were fed chopped corn and garbage.',
  'Four hours of steady work faced us.',
  'A large size in stockings is hard to sell.',
  'The boy was there when the sun rose.',
  'A rod is used to catch pink salmon.',
  'The source of the huge river is the clear spring.',
  'Kick the ball straight and follow through.',
  'Help the woman get back to her feet.',
  'A pot of tea helps to pass the evening.',
  'Smoky fires lack flame and heat.',
  "The soft cushion broke the man's fall.",
  'The salt breeze came across from the sea.',
  'The girl at the booth sold fifty bonds.',
  'Please map out the path before we move on.',
  'My mother baked apple pie for the whole family.',
  'Bob bought a big blue balloon at the park.',
  'We will meet at noon by the old mill.',
  'Open the window and let the cool air in.',
  'Who knew you would choose the blue shoes?',
  'Peter picked a peck of pickled peppers.',
  'She sells sea shells by the sea shore.',
  'Five very fine violins were on view.',
  'How now, brown cow, are you out of the barn?',
  'I really like to eat sweet green peas.',
  'Thank you for calling, how can I help you today?',
  'Your order will arrive on Monday morning.',
  'The weather tomorrow looks warm and sunny.',
  'Maybe we should move the meeting to Friday.',
  'All of the members voted for the motion.',
  'Look at the moon, it is full and bright tonight.',
  'The farmer moved his sheep over the hill.',
  'Jump up and down, then wave both arms.',
  'Nobody ever told me about the secret room.',
];

export const testSentences = [
  'A wisp of cloud hung in the blue air.',
  'Mend the coat before you go out.',
  'The wrist was badly strained and hung limp.',
  'The stray cat gave birth to kittens.',
  'The meal was cooked before the bell rang.',
  'Welcome back, it is good to see you again.',
  'Please remember to bring your passport.',
  'Our new product makes every morning better.',
  'Would you like me to book a table for two?',
  'The museum opens at nine and closes at five.',
  'Bubbles of foam popped on the warm water.',
  'Oh no, the blue balloon floated away.',
];

// Extra training text for phonetic variety: seeded random word strings (never the held-out sentences).
const words = (
  'about above after again air all almost along also always animal answer apple area around away baby back ' +
  'bad ball bank base bath beach bear beautiful bed bee before begin behind bell below best better big bird ' +
  'black blood blue boat body book both bottom box boy bread break bridge bright bring brother brown build ' +
  'busy butter buy cake call calm camera candle car care carry cat catch chair change cheap cheese child ' +
  'choose church city class clean clock close cloud coat coffee cold color come cook cool corner cost cover ' +
  'cow cream cup cut dance dark daughter day deep dinner doctor dog door double down dream drink drive dry ' +
  'duck early earth easy eat egg eight engine enough evening every eye face fall family far farm fast father ' +
  'feather feel few field fifty fight fill find fine finger fire first fish five floor flower fly follow food ' +
  'foot forest forget four free fresh friend frog front fruit full funny game garden gate girl give glass go ' +
  'gold good grass gray great green ground group grow guess hair half hand happy hard hat have head hear heart ' +
  'heavy hello help here high hill hold home hope horse hot hour house huge hungry ice idea inside iron island ' +
  'jacket job join juice jump just keep key kind king kitchen knife know lake lamp large late laugh lazy leaf ' +
  'learn leave left leg letter life light listen little long look loud love low lunch machine map market ' +
  'matter maybe meat meet milk minute mirror money month moon morning mother mountain mouth move much music ' +
  'name narrow near neck need never new news next nice night nine noise north nose nothing number ocean ' +
  'office often oil old only open orange other outside over page paint paper park party pass pay peace pencil ' +
  'people pepper person phone piano picture piece pink place plane plant play please pocket point pool poor ' +
  'potato power pretty pull push queen quick quiet rabbit rain read ready red remember rest rich ride right ' +
  'ring river road rock roof room rope round rule run sad salt same sand school sea seat second see seven ' +
  'shadow shape sheep shirt shoe short shout show shut sick side silver simple sing sister sit six sky sleep ' +
  'slow small smile smoke snow soft soup south speak spoon spring square star station stay step stone stop ' +
  'story street strong study sugar summer sun supper sweet swim table tail take talk tall tea teacher ten ' +
  'thank thick thin thing think three throw thumb ticket tiger time tired today together tomorrow tooth top ' +
  'touch town toy train tree true turn twelve two umbrella uncle under up use usual valley very village visit ' +
  'voice wait walk wall warm wash watch water wave way weather week welcome west wet wheel white whole why wide ' +
  'wife wind window winter wish woman wood wool word work world write yellow yes young zebra zoo'
).split(' ');

/** `count` sentences of 5–10 words drawn from `vocabulary` (English by default), deterministic for a seed. */
export function generatedSentences(
  count: number,
  seed: number,
  vocabulary: readonly string[] = words,
): string[] {
  let s = seed >>> 0;
  const rand = () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
  return Array.from({ length: count }, () => {
    const n = 5 + Math.floor(rand() * 6);
    const picked = Array.from({ length: n }, () => vocabulary[Math.floor(rand() * vocabulary.length)]!);
    const text = picked.join(' ');
    return `${text[0]!.toUpperCase()}${text.slice(1)}${rand() < 0.2 ? '?' : '.'}`;
  });
}

// Italian text for the Italian Festival voices: other phone durations and vowel qualities than English.
export const italianTrainSentences = [
  'Buongiorno, mi chiamo Paola e vivo a Milano con la mia famiglia.',
  'Il treno per Roma parte alle nove e mezza dal binario tre.',
  'Mia madre prepara la pasta con il pomodoro fresco.',
  'Domani andiamo al mare, se il tempo sarà bello.',
  'Il bambino gioca nel parco con il suo cane bianco.',
  'Per favore, mi porti un caffè e una bottiglia di acqua.',
  'La biblioteca è chiusa il lunedì mattina.',
  'Abbiamo comprato una macchina nuova la settimana scorsa.',
  'Il professore spiega la lezione con molta pazienza.',
  'Mi piace passeggiare in montagna quando fa fresco.',
  'Le mele rosse sono più dolci di quelle verdi.',
  'Il museo apre alle dieci e chiude alle sei.',
  'Vorrei prenotare un tavolo per quattro persone.',
  'Buona sera a tutti, benvenuti alla nostra festa.',
  'Il pittore ha dipinto un bellissimo paesaggio.',
  'Mio fratello lavora in banca da molti anni.',
  'La pioggia batte forte sulle finestre della cucina.',
  'Potresti chiudere la porta, per piacere?',
  'Il medico mi ha detto di bere molta acqua.',
  'Ogni mattina compro il pane dal fornaio sotto casa.',
  'Il gatto dorme sul divano vicino al camino.',
  'Abbiamo mangiato una pizza buonissima a Napoli.',
  'Il film comincia tra dieci minuti, sbrigati.',
  'Lei parla molto bene tre lingue straniere.',
  'Il ponte vecchio è pieno di turisti in estate.',
  'Non dimenticare di comprare il latte e le uova.',
  'La musica della banda riempie la piazza.',
  'Il mio numero di telefono è cambiato.',
  'Ci vediamo al bar dopo il lavoro.',
  'Il vento muove le foglie degli alberi.',
];

export const italianTestSentences = [
  'Mamma, posso uscire a giocare con Marco?',
  'Il pomeriggio bevo sempre un bicchiere di tè.',
  'Questa borsa blu costa più di cento euro.',
  'Abito in una piccola casa vicino al fiume.',
  'Il pane di oggi è buono e morbido.',
  'Piove da tre giorni e le strade sono bagnate.',
];
