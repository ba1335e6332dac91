/**
 * Every repository method, cascades, conflicts, transactions and concurrency, run against PGlite
 * in memory and a private PostgreSQL server. One file, so each engine starts once.
 */
import { describeEngines } from "./engines.js";
import { accountsSuite } from "./suites/accounts.js";
import { dataSuite } from "./suites/data.js";
import { transactionsSuite } from "./suites/transactions.js";

describeEngines("store", (h) => {
  accountsSuite(h);
  dataSuite(h);
  transactionsSuite(h);
});
