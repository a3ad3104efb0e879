/**
 * The web function's own permission policy: write its log group, read and decrypt the parameters
 * below its settings path, nothing else. The identities program's boundary (identities/policies.ts)
 * allows the same on the stack's names, so this policy is never cut by it.
 */

/** One statement of the function's policy. */
export interface FunctionRoleStatement {
  readonly Sid: string;
  readonly Effect: "Allow";
  readonly Action: string[];
  readonly Resource: string[];
  readonly Condition?: Readonly<Record<string, Readonly<Record<string, string | string[]>>>>;
}

/** Region and account of an ARN (`arn:aws:<service>:<region>:<account>:...`). */
function regionAndAccount(arn: string): { partition: string; region: string; account: string } {
  const [, partition, , region, account] = arn.split(":");
  return { partition, region, account };
}

/**
 * Decrypting the stack's SecureString parameters: `kms:Decrypt` only when SSM asks for it
 * (`kms:ViaService`), and only for a parameter below the settings path. Parameter Store encrypts
 * every SecureString value with the encryption context `PARAMETER_ARN` = the parameter's ARN
 * (AWS Systems Manager User Guide, "AWS KMS encryption for Parameter Store SecureString
 * parameters", section "Using the encryption context"), and "any principal that retrieves the
 * decrypted value must have kms:Decrypt permission on that key" ("Restricting decryption of
 * SecureString parameter values"). The key is the account's `aws/ssm` or the stack's own key; its
 * ID is not known here, so the resource is any key of the account and region, and the two
 * conditions make it this stack's parameters only.
 */
export function decryptSettingsStatement(settingsArn: string): FunctionRoleStatement {
  const { partition, region, account } = regionAndAccount(settingsArn);
  return {
    Sid: "DecryptOwnSettings",
    Effect: "Allow",
    Action: ["kms:Decrypt"],
    Resource: [`arn:${partition}:kms:${region}:${account}:key/*`],
    Condition: {
      StringEquals: { "kms:ViaService": `ssm.${region}.amazonaws.com` },
      StringLike: { "kms:EncryptionContext:PARAMETER_ARN": `${settingsArn}/*` },
    },
  };
}

/** The function role's policy document, on the ARNs its log group and settings path really have. */
export function functionRolePolicy(logGroupArn: string, settingsArn: string) {
  const statements: FunctionRoleStatement[] = [
    {
      Sid: "WriteOwnLogs",
      Effect: "Allow",
      Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
      Resource: [`${logGroupArn}:*`],
    },
    {
      Sid: "ReadOwnSettings",
      Effect: "Allow",
      // The app reads its settings with one GetParametersByPath, nothing else.
      Action: ["ssm:GetParametersByPath"],
      Resource: [settingsArn, `${settingsArn}/*`],
    },
    decryptSettingsStatement(settingsArn),
  ];
  return { Version: "2012-10-17" as const, Statement: statements };
}
