import { monthTurns } from "../../test/support/demo-instants.js";
import { describeDemoAt } from "../../test/support/demo-states.js";

/**
 * The demo seeds, and shows every member in its state, at every turn of the month (Asia/Shanghai):
 * `npm start` once failed on the 1st and 2nd of each month while every test seeded at one instant.
 */
describeDemoAt("the demo on any day: the turn of every month", monthTurns());
