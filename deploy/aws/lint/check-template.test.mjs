// Tests of check-template.mjs: it must pass a correct template and name each kind of mistake.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadAwsServiceSpecSync } from '@aws-cdk/aws-service-spec';
import { checkTemplate } from './check-template.mjs';

const db = loadAwsServiceSpecSync();

const VALID = `
Parameters:
  Env: { Type: String }
  Origins: { Type: CommaDelimitedList }
Conditions:
  IsProd: !Equals [!Ref Env, prod]
Resources:
  Queue:
    Type: AWS::SQS::Queue
    Properties:
      QueueName: !Sub q-\${Env}
      RedrivePolicy: { deadLetterTargetArn: !GetAtt Dlq.Arn, maxReceiveCount: 3 }
  Dlq:
    Type: AWS::SQS::Queue
    Condition: IsProd
  Api:
    Type: AWS::ApiGatewayV2::Api
    DependsOn: Queue
    Properties:
      Name: api
      ProtocolType: HTTP
      CorsConfiguration: { AllowOrigins: !Ref Origins, AllowCredentials: true }
  Topic:
    Type: AWS::SNS::Topic
  Subscription:
    Type: AWS::SNS::Subscription
    Properties:
      TopicArn: !Ref Topic
      Protocol: email
      Endpoint: ops@example.org
Outputs:
  Url: { Value: !GetAtt Api.ApiEndpoint }
  QueueArn: { Value: !Sub "\${Queue.Arn}/x" }
`;

// The problems of VALID after replacing `from` with `to`.
function problemsAfter(from, to) {
  assert.ok(VALID.includes(from), `fixture lacks ${from}`);
  return checkTemplate(VALID.replace(from, to), db);
}

// Some problem mentions every word (a mistake may also cause follow-on problems, e.g. an unused parameter).
function assertProblemMentioning(problems, ...words) {
  const found = problems.some((problem) => words.every((word) => problem.includes(word)));
  assert.ok(found, `no problem mentions ${words.join(' + ')}:\n${problems.join('\n')}`);
}

test('a correct template has no problems', () => {
  assert.deepEqual(checkTemplate(VALID, db), []);
});

test('an unknown resource type is reported', () => {
  assertProblemMentioning(problemsAfter('AWS::SQS::Queue\n    Condition', 'AWS::SQS::Qeueu\n    Condition'), 'Dlq', 'not a CloudFormation resource type');
});

test('a misspelt property is reported with its path', () => {
  assertProblemMentioning(problemsAfter('ProtocolType: HTTP', 'ProtocolTyp: HTTP'), 'Api.Properties.ProtocolTyp', 'not a property');
});

test('a misspelt nested property is reported', () => {
  assertProblemMentioning(problemsAfter('AllowCredentials: true', 'AllowCredential: true'), 'CorsConfiguration.AllowCredential');
});

test('a missing required property is reported', () => {
  assertProblemMentioning(problemsAfter('      Protocol: email\n', ''), 'Subscription.Properties', 'required property Protocol');
});

test('a scalar where a list belongs is reported', () => {
  assertProblemMentioning(problemsAfter('AllowOrigins: !Ref Origins', 'AllowOrigins: https://a.example'), 'AllowOrigins', 'should be a list');
});

test('a Ref to nothing is reported', () => {
  assertProblemMentioning(problemsAfter('!Ref Origins', '!Ref Orígenes'), 'Orígenes');
});

test('a GetAtt of an attribute the resource type lacks is reported', () => {
  assertProblemMentioning(problemsAfter('!GetAtt Api.ApiEndpoint', '!GetAtt Api.Endpoint'), 'has no attribute Endpoint');
});

test('a Sub variable naming nothing is reported', () => {
  assertProblemMentioning(problemsAfter('q-${Env}', 'q-${Environment}'), 'Environment');
});

test('a Sub attribute of a missing resource is reported', () => {
  assertProblemMentioning(problemsAfter('${Queue.Arn}', '${Queue2.Arn}'), 'Queue2');
});

test('a DependsOn naming no resource is reported', () => {
  assertProblemMentioning(problemsAfter('DependsOn: Queue', 'DependsOn: Queues'), 'DependsOn', 'Queues');
});

test('an undefined condition is reported', () => {
  assertProblemMentioning(problemsAfter('Condition: IsProd', 'Condition: IsProduction'), 'IsProduction');
});

test('an unused parameter is reported', () => {
  assertProblemMentioning(problemsAfter('Parameters:\n', 'Parameters:\n  Unused: { Type: String }\n'), 'Unused', 'never used');
});

test('text that is not YAML is reported', () => {
  assert.match(checkTemplate('Resources: [unclosed', db)[0], /not valid YAML/);
});
