/**
 * URL checks shared by the web apps' login, callback and logout URLs and their web origins: the
 * one rule of `model/web-urls.ts`, which the policy pack applies to the clients the stack declares.
 */
export { loginUriProblem, webOriginProblem, webUrlProblem } from "../../model/web-urls";
