// Schema-level check of a CloudFormation YAML template against AWS's resource specification
// (@aws-cdk/aws-service-spec). Not cfn-lint: it checks structure, not AWS's service rules.
//
// Checks: top-level, resource and output sections; every resource type exists; every property
// (nested ones too) exists with the right shape (object / list / scalar) and required ones are set;
// every Ref, Fn::GetAtt (including the attribute name), ${...} in Fn::Sub, DependsOn and Condition
// names something the template or CloudFormation defines; every parameter is used.
//
// Usage: node check-template.mjs TEMPLATE.yaml   (exit 0 = no problems, 1 = problems printed)

import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { loadAwsServiceSpecSync } from '@aws-cdk/aws-service-spec';
import { parse } from 'yaml';

const TOP_LEVEL_KEYS = new Set([
  'AWSTemplateFormatVersion', 'Description', 'Metadata', 'Parameters', 'Rules', 'Mappings',
  'Conditions', 'Transform', 'Resources', 'Outputs',
]);
const RESOURCE_KEYS = new Set([
  'Type', 'Properties', 'DependsOn', 'Condition', 'DeletionPolicy', 'UpdateReplacePolicy',
  'Metadata', 'CreationPolicy', 'UpdatePolicy',
]);
const OUTPUT_KEYS = new Set(['Description', 'Value', 'Export', 'Condition']);
const PSEUDO_PARAMETERS = new Set([
  'AWS::AccountId', 'AWS::NotificationARNs', 'AWS::NoValue', 'AWS::Partition', 'AWS::Region',
  'AWS::StackId', 'AWS::StackName', 'AWS::URLSuffix',
]);
const PARAMETER_TYPES = /^(String|Number|List<Number>|CommaDelimitedList|AWS::[A-Za-z0-9:]+|List<AWS::[A-Za-z0-9:]+>|AWS::SSM::Parameter::Value<.+>)$/;

// The short-form intrinsic tags, turned into their long form while parsing.
function intrinsicTags() {
  const longForm = (tag, name, collection) => ({
    tag: `!${tag}`,
    collection,
    resolve: (value) => ({ [name]: value.toJSON ? value.toJSON() : value }),
  });
  const functions = ['Base64', 'Cidr', 'FindInMap', 'GetAZs', 'ImportValue', 'Join', 'Select', 'Split',
    'Sub', 'Transform', 'And', 'Equals', 'If', 'Not', 'Or', 'Contains', 'EachMemberEquals',
    'EachMemberIn', 'RefAll', 'ValueOf', 'ValueOfAll', 'Length', 'ToJsonString'];
  const tags = [];
  for (const fn of functions) {
    for (const collection of [undefined, 'seq', 'map']) tags.push(longForm(fn, `Fn::${fn}`, collection));
  }
  tags.push(longForm('Ref', 'Ref'), longForm('Condition', 'Condition'));
  // !GetAtt Resource.Attribute (scalar) or !GetAtt [Resource, Attribute].
  tags.push({ tag: '!GetAtt', resolve: (value) => ({ 'Fn::GetAtt': splitOnFirstDot(value) }) });
  tags.push({ tag: '!GetAtt', collection: 'seq', resolve: (value) => ({ 'Fn::GetAtt': value.toJSON() }) });
  return tags;
}

function splitOnFirstDot(text) {
  const dot = String(text).indexOf('.');
  return dot < 0 ? [String(text)] : [text.slice(0, dot), text.slice(dot + 1)];
}

function isPlainObject(value) {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

// An intrinsic function call: {"Ref": ...} or {"Fn::...": ...} and nothing else.
function isIntrinsic(value) {
  if (!isPlainObject(value)) return false;
  const keys = Object.keys(value);
  return keys.length === 1 && (keys[0] === 'Ref' || keys[0].startsWith('Fn::') || keys[0] === 'Condition');
}

class TemplateChecker {
  constructor(db, template) {
    this.db = db;
    this.template = template;
    this.problems = [];
    this.resources = isPlainObject(template.Resources) ? template.Resources : {};
    this.parameters = isPlainObject(template.Parameters) ? template.Parameters : {};
    this.conditions = isPlainObject(template.Conditions) ? template.Conditions : {};
    this.usedParameters = new Set();
    this.specs = new Map();  // resource type -> spec resource, or null if unknown
  }

  problem(path, message) {
    this.problems.push(`${path}: ${message}`);
  }

  resourceSpec(type) {
    if (!this.specs.has(type)) {
      const found = this.db.lookup('resource', 'cloudFormationType', 'equals', type);
      this.specs.set(type, found.length === 1 ? found[0] : null);
    }
    return this.specs.get(type);
  }

  check() {
    if (!isPlainObject(this.template)) {
      this.problem('template', 'is not a mapping');
      return this.problems;
    }
    for (const key of Object.keys(this.template)) {
      if (!TOP_LEVEL_KEYS.has(key)) this.problem(key, 'is not a template section');
    }
    if (Object.keys(this.resources).length === 0) this.problem('Resources', 'is missing or empty');
    this.checkParameters();
    for (const [name, condition] of Object.entries(this.conditions)) {
      this.checkReferences(`Conditions.${name}`, condition);
    }
    for (const [name, resource] of Object.entries(this.resources)) this.checkResource(name, resource);
    this.checkOutputs();
    for (const name of Object.keys(this.parameters)) {
      if (!this.usedParameters.has(name)) this.problem(`Parameters.${name}`, 'is never used');
    }
    return this.problems;
  }

  checkParameters() {
    for (const [name, parameter] of Object.entries(this.parameters)) {
      if (!isPlainObject(parameter) || !PARAMETER_TYPES.test(String(parameter.Type))) {
        this.problem(`Parameters.${name}`, `has no valid Type (got ${JSON.stringify(parameter?.Type)})`);
      }
    }
  }

  checkResource(name, resource) {
    const path = `Resources.${name}`;
    if (!isPlainObject(resource)) return this.problem(path, 'is not a mapping');
    for (const key of Object.keys(resource)) {
      if (!RESOURCE_KEYS.has(key)) this.problem(`${path}.${key}`, 'is not a resource attribute');
    }
    for (const target of [resource.DependsOn ?? []].flat()) {
      if (!(target in this.resources)) this.problem(`${path}.DependsOn`, `names no resource ${target}`);
    }
    if (resource.Condition !== undefined && !(resource.Condition in this.conditions)) {
      this.problem(`${path}.Condition`, `names no condition ${resource.Condition}`);
    }
    const type = String(resource.Type ?? '');
    if (type.startsWith('Custom::') || type === 'AWS::CloudFormation::CustomResource') return;
    const spec = this.resourceSpec(type);
    if (spec === null) return this.problem(`${path}.Type`, `${JSON.stringify(type)} is not a CloudFormation resource type`);
    const properties = resource.Properties ?? {};
    this.checkReferences(`${path}.Properties`, properties);
    this.checkProperties(`${path}.Properties`, properties, spec.properties);
  }

  checkOutputs() {
    const outputs = this.template.Outputs ?? {};
    for (const [name, output] of Object.entries(outputs)) {
      const path = `Outputs.${name}`;
      if (!isPlainObject(output) || output.Value === undefined) {
        this.problem(path, 'has no Value');
        continue;
      }
      for (const key of Object.keys(output)) {
        if (!OUTPUT_KEYS.has(key)) this.problem(`${path}.${key}`, 'is not an output attribute');
      }
      this.checkReferences(path, output);
    }
  }

  // Properties of one object against its specification (resource properties or a type definition).
  checkProperties(path, value, specProperties) {
    if (isIntrinsic(value)) return;
    if (!isPlainObject(value)) return this.problem(path, `should be a mapping, got ${JSON.stringify(value)}`);
    for (const [name, property] of Object.entries(specProperties)) {
      if (property.required && value[name] === undefined) this.problem(path, `lacks required property ${name}`);
    }
    for (const [name, child] of Object.entries(value)) {
      const property = specProperties[name];
      if (property === undefined) {
        this.problem(`${path}.${name}`, 'is not a property here');
        continue;
      }
      const types = [property.type, ...(property.previousTypes ?? [])];
      this.checkAgainstTypes(`${path}.${name}`, child, types);
    }
  }

  // Accepts `value` if it fits any of `types`; otherwise reports against the current type.
  checkAgainstTypes(path, value, types) {
    for (const type of types.slice(1)) {
      const trial = new TemplateChecker(this.db, this.template);
      trial.checkValue(path, value, type);
      if (trial.problems.length === 0) return;
    }
    this.checkValue(path, value, types[0]);
  }

  checkValue(path, value, type) {
    if (isIntrinsic(value) || type.type === 'json') return;
    switch (type.type) {
      case 'array':
        if (!Array.isArray(value)) return this.problem(path, `should be a list, got ${JSON.stringify(value)}`);
        value.forEach((element, i) => this.checkValue(`${path}[${i}]`, element, type.element));
        return;
      case 'map':
        if (!isPlainObject(value)) return this.problem(path, 'should be a mapping');
        for (const [key, element] of Object.entries(value)) this.checkValue(`${path}.${key}`, element, type.element);
        return;
      case 'ref':
        return this.checkProperties(path, value, this.db.get('typeDefinition', type.reference.$ref).properties);
      case 'union':
        return this.checkAgainstTypes(path, value, type.types);
      case 'tag':
        return this.checkProperties(path, value, { Key: { type: { type: 'string' }, required: true }, Value: { type: { type: 'string' }, required: true } });
      default:  // string, number, integer, boolean, date-time, null: any scalar (CloudFormation converts)
        if (value !== null && typeof value === 'object') {
          this.problem(path, `should be a ${type.type}, got ${JSON.stringify(value)}`);
        }
    }
  }

  // Every name that Ref, GetAtt, Sub and Condition use inside `value` must exist.
  checkReferences(path, value) {
    if (Array.isArray(value)) return value.forEach((element, i) => this.checkReferences(`${path}[${i}]`, element));
    if (!isPlainObject(value)) return;
    for (const [key, argument] of Object.entries(value)) {
      if (key === 'Ref') this.checkRef(path, argument);
      else if (key === 'Fn::GetAtt') this.checkGetAtt(path, argument);
      else if (key === 'Fn::Sub') this.checkSub(path, argument);
      else if (key === 'Condition' && typeof argument === 'string' && isIntrinsic(value)) this.checkConditionName(path, argument);
      else if (key === 'Fn::If' && Array.isArray(argument)) this.checkConditionName(path, argument[0]);
      this.checkReferences(`${path}.${key}`, argument);
    }
  }

  checkConditionName(path, name) {
    if (!(name in this.conditions)) this.problem(path, `uses undefined condition ${name}`);
  }

  checkRef(path, name, variables = {}) {
    if (typeof name !== 'string') return this.problem(path, 'Ref needs a name');
    if (name in variables || PSEUDO_PARAMETERS.has(name) || name in this.resources) return;
    if (name in this.parameters) return this.usedParameters.add(name);
    this.problem(path, `refers to ${name}, which is no parameter or resource`);
  }

  checkGetAtt(path, argument) {
    if (!Array.isArray(argument) || argument.length !== 2) return this.problem(path, 'Fn::GetAtt needs [resource, attribute]');
    const [name, attribute] = argument;
    const resource = this.resources[name];
    if (resource === undefined) return this.problem(path, `GetAtt of ${name}, which is no resource`);
    const spec = this.resourceSpec(String(resource.Type));
    if (spec && typeof attribute === 'string' && !(attribute in spec.attributes)) {
      this.problem(path, `${resource.Type} has no attribute ${attribute} (has ${Object.keys(spec.attributes).join(', ')})`);
    }
  }

  checkSub(path, argument) {
    const [text, variables] = Array.isArray(argument) ? argument : [argument, {}];
    if (typeof text !== 'string') return this.problem(path, 'Fn::Sub needs a string');
    for (const match of text.matchAll(/\$\{([^!}][^}]*)\}/g)) {
      const name = match[1].trim();
      if (name.includes('.') && !name.startsWith('AWS::')) {
        if (!(name in (variables ?? {}))) this.checkGetAtt(path, splitOnFirstDot(name));
      } else {
        this.checkRef(path, name, variables ?? {});
      }
    }
  }
}

// Problems found in the template text (empty = none). `db` is the loaded specification.
export function checkTemplate(text, db = loadAwsServiceSpecSync()) {
  let template;
  try {
    template = parse(text, { customTags: intrinsicTags(), uniqueKeys: true });
  } catch (error) {
    return [`template: not valid YAML: ${error.message}`];
  }
  return new TemplateChecker(db, template).check();
}

function main(argv) {
  if (argv.length !== 1) {
    console.error('usage: node check-template.mjs TEMPLATE.yaml');
    return 2;
  }
  const problems = checkTemplate(readFileSync(argv[0], 'utf8'));
  for (const problem of problems) console.error(`${argv[0]}: ${problem}`);
  console.log(`${argv[0]}: ${problems.length} problem(s) against the CloudFormation resource specification`);
  return problems.length === 0 ? 0 : 1;
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) process.exit(main(process.argv.slice(2)));
