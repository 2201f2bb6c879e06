// Words that say nothing about the topic of a question. Kept short on purpose: "not", "open", "cost" and
// question words that change the meaning of an FAQ lookup are NOT here.
export const STOPWORDS = new Set(
  `a an the and or but if then so of to in on at by for with about from into over under as is are was were be
  been being am do does did doing have has had having i me my mine we us our ours you your yours he him his she
  her hers it its they them their theirs this that these those there here what which who whom whose how why
  when where can could would should will shall may might must please tell know let s t just also very really
  any some all much many more most other such own same than too only get got give want like need im ive id
  youre dont doesnt didnt isnt arent wasnt cant wont yes no ok okay hi hello hey thanks thank well oh um uh
  up out off again further once both each few nor one way thing things something anything kind sort`.split(
    /\s+/,
  ),
);
