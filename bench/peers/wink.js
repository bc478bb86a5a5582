// wink.js — wink-nlp with its English lite model: tokenize, tag and find one
// relation pattern ("Beijing donated ten patrol boats to Cambodia") as a
// custom entity, the way a user would script the same extraction. The pipe
// holds only what the pattern needs (sentences, parts of speech, named and
// custom entities): negation and sentiment, on by default, are left out so
// that wink-nlp is measured at its fastest for this task.
'use strict';
const winkNLP = require('wink-nlp');
const model = require('wink-eng-lite-web-model');
const {run} = require('./common');

const nlp = winkNLP(model, ['sbd', 'pos', 'ner', 'cer']);
const its = nlp.its;
nlp.learnCustomEntities([{
  name: 'donated',
  patterns: ['[PROPN|GPE] [donated|delivered|gave|handed] [|DET] [|NUM|ADJ|CARDINAL] [|ADJ|NOUN] [NOUN] [to] [|DET] [PROPN|GPE]']
}]);

run('wink-nlp', process.argv[2], (text) => {
  const doc = nlp.readDoc(text);
  return {tokens: doc.tokens().length(), matches: doc.customEntities().out(its.value).length};
});
