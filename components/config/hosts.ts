/** The host name check shared by the tenant's domains and the web endpoint's custom domain. */
export { hostProblem } from "../../model/web-urls";
