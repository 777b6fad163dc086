import {
  AdminCreateUserCommand,
  AdminInitiateAuthCommand,
  AdminSetUserPasswordCommand,
  type CognitoIdentityProviderClient,
  UsernameExistsException,
} from '@aws-sdk/client-cognito-identity-provider';
import { type LoadUserPool, LoadUsersError } from './provision-load-users';

/** LoadUserPool on Cognito's admin API (needs IAM credentials allowed AdminCreateUser, AdminSetUserPassword, AdminInitiateAuth). */
export class CognitoLoadUserPool implements LoadUserPool {
  constructor(
    private readonly cognito: CognitoIdentityProviderClient,
    private readonly userPoolId: string,
    private readonly clientId: string,
  ) {}

  async createUser(email: string): Promise<boolean> {
    try {
      await this.cognito.send(
        new AdminCreateUserCommand({
          UserPoolId: this.userPoolId,
          Username: email,
          MessageAction: 'SUPPRESS',
          UserAttributes: [
            { Name: 'email', Value: email },
            { Name: 'email_verified', Value: 'true' },
          ],
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof UsernameExistsException) return false;
      throw error;
    }
  }

  async setPermanentPassword(email: string, password: string): Promise<void> {
    await this.cognito.send(new AdminSetUserPasswordCommand({ UserPoolId: this.userPoolId, Username: email, Password: password, Permanent: true }));
  }

  async signIn(email: string, password: string): Promise<string> {
    const answer = await this.cognito.send(
      new AdminInitiateAuthCommand({
        UserPoolId: this.userPoolId,
        ClientId: this.clientId,
        AuthFlow: 'ADMIN_USER_PASSWORD_AUTH',
        AuthParameters: { USERNAME: email, PASSWORD: password },
      }),
    );
    const token = answer.AuthenticationResult?.IdToken;
    if (!token) throw new LoadUsersError(`${email}: the pool answered the sign-in with ${answer.ChallengeName ?? 'no token'}`);
    return token;
  }
}
