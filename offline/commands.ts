/** The commands the offline renderings point their reader to. */

/** The command that regenerates the committed renderings under `preview/`. */
export const REGENERATE_COMMAND = "npm start -- --write";

/** The real preview of a stack: needs AWS and Auth0 credentials and the state backend. */
export function realPreviewCommand(stack: string): string {
  return `pulumi preview --stack ${stack} --refresh`;
}
