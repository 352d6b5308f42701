// Drop every link of a paper about to be written again, so what is written next is exactly
// what it links to now: no mention, proposal, affiliation, author or repository link left
// over from an earlier extraction or an earlier merge of its sources. Its content hash,
// written last, still marks it unfinished until all its links are back. Runs before the
// link writes.
// $rows: [{paper}]
UNWIND $rows AS row
MATCH (p:Paper {id: row.paper})-[r]->()
DELETE r
