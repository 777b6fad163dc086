export { startTiedChild, type TiedChild, type TiedChildOptions } from './tied-child';
